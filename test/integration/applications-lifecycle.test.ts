import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationSummary } from '../../service/contract/applications.js';
import { TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { Student, user } from '../support/student-api.js';

const staff = { id: 'staff-1', name: '事務 花子' };

const linkToken = (text: string | undefined): string => {
  const m = /\/applications\/student-id#token=([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!m?.[1]) throw new Error(`no application link in:\n${text}`);
  return m[1];
};

describe('the additional student ID application, through the HTTP API with mail over SMTP', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpServer();
    svc = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp' }, { clock });
  });
  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  /** A signed-in student with a registered mail address, in `language`. */
  async function student(eppnPrefix: string, mail: string, language: 'ja' | 'en' = 'ja'): Promise<Student> {
    const s = new Student(svc);
    await s.signIn(user(eppnPrefix));
    await s.registerMail(smtp, mail);
    if (language !== 'ja') expect((await s.api('PUT', '/api/language', { language })).status).toBe(200);
    return s;
  }

  /** 送信 → the mail with the one-time URL → its token. */
  async function mailedLink(s: Student, mail: string): Promise<string> {
    const since = Date.now();
    const sent = await s.api('POST', '/api/applications/student-id/link');
    expect(sent.status).toBe(200);
    expect(sent.body.sentTo).toBe(mail);
    const message = await smtp.waitForMail(mail, { since });
    return linkToken(message.text);
  }

  it('a student applies for a second student ID, staff approve it, and the account then has both IDs', async () => {
    const misaki = user('s2101004');
    const mail = 'misaki@example.jp';
    const s = await student('s2101004', mail);

    const since = Date.now();
    const sent = await s.api('POST', '/api/applications/student-id/link');
    expect(sent.status).toBe(200);
    expect(new Date(sent.body.expiresAt).getTime() - clock.now().getTime()).toBe(30 * 60 * 1000);
    const linkMail = await smtp.waitForMail(mail, { since });
    expect(linkMail.subject).toBe('【証明書発行サービス】学籍番号追加登録のご案内');
    const token = linkToken(linkMail.text);
    expect(linkMail.text).toContain(`${svc.url}/applications/student-id#token=${token}`);

    // The link is opened on a phone: nobody is signed in there.
    const phone = new Student(svc);
    await phone.session();
    const check = await phone.api('POST', '/api/applications/student-id/check', { token });
    expect(check).toMatchObject({ status: 200, body: { expiresAt: sent.body.expiresAt } });

    // Mistakes keep the link usable and come back per field.
    const wrong = await phone.api('POST', '/api/applications/student-id', {
      token,
      form: {
        nameKanji: '高橋美咲',
        nameKana: 'たかはし みさき',
        nameRoman: 'Takahashi Misaki',
        universityCode: 'DEMO',
        facultyCode: 'GSE',
        departmentCode: 'INF',
        studentId: '5251004',
        graduationYearMonth: '2026-3',
        leaveType: 'graduated',
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({
      code: 'validation.failed',
      fields: { nameKanji: 'name.spaceRequired', nameKana: 'kana.invalid', departmentCode: 'department.unknown' },
    });

    const applied = await phone.api('POST', '/api/applications/student-id', {
      token,
      form: {
        nameKanji: '高橋　美咲',
        nameKana: 'ﾀｶﾊｼ　ﾐｻｷ',
        nameRoman: 'Takahashi  Misaki',
        universityCode: 'DEMO',
        facultyCode: 'GSE',
        departmentCode: 'INFS',
        studentId: '５２５１００４',
        graduationYearMonth: '2026-03',
        leaveType: 'graduated',
      },
    });
    expect(applied.status).toBe(201);
    const application = applied.body as ApplicationSummary;
    expect(application).toMatchObject({
      kind: 'studentId',
      status: 'pending',
      form: { nameKanji: '高橋 美咲', nameKana: 'タカハシ ミサキ', nameRoman: 'Takahashi Misaki', studentId: '5251004' },
    });
    expect(application).not.toHaveProperty('mail');
    expect(application).not.toHaveProperty('history');

    // The home screen lists it as under review.
    const mine = await s.api('GET', '/api/applications');
    expect(mine).toMatchObject({ status: 200, body: [{ id: application.id, status: 'pending' }] });

    const resultSince = Date.now();
    const approved = await svc.deps.applications.decide(application.id, { action: 'approve', reason: null }, staff);
    expect(approved.status).toBe('approved');
    const result = await smtp.waitForMail(mail, { since: resultSince });
    expect(result.subject).toBe('【証明書発行サービス】利用申請結果のお知らせ');
    expect(result.text).toContain('学籍番号の追加登録が完了しました。以下の学籍番号を現在のアカウントへ追加しました。');
    expect(result.text).toContain('学籍番号:5251004');
    expect(result.html).toContain('学籍番号:5251004');

    const me = await s.api('GET', '/api/me');
    expect(me.body.studentIds).toEqual([misaki.studentId, '5251004']);
    expect((await s.api('GET', '/api/applications')).body).toMatchObject([{ id: application.id, status: 'approved', decidedAt: approved.decidedAt }]);
    expect((await svc.deps.audit.list({ targetId: application.id })).items.map((e) => e.action)).toEqual(['application.approved', 'application.submitted']);
  });

  it('staff ask for resubmission, the student edits and sends again, all mails in English', async () => {
    const mail = 'hanako@example.com';
    const s = await student('s2101002', mail, 'en');
    const token = await mailedLink(s, mail);
    const form = {
      nameKanji: '佐藤 花子',
      nameKana: 'サトウ ハナコ',
      nameRoman: 'Sato Hanako',
      universityCode: 'DEMO',
      facultyCode: 'LIT',
      departmentCode: 'JPN',
      studentId: 'M-2027-0002',
      graduationYearMonth: '2029-03',
      leaveType: 'withdrawn',
    };
    const applied = await s.api('POST', '/api/applications/student-id', { token, form });
    expect(applied.status).toBe(201);
    const id = (applied.body as ApplicationSummary).id;

    // Not before staff ask for it.
    expect((await s.api('PUT', `/api/applications/${id}`, { form })).body.error.code).toBe('application.notResubmittable');

    let since = Date.now();
    await svc.deps.applications.decide(id, { action: 'resubmit', reason: 'Please check the graduation year and month.' }, staff);
    const request = await smtp.waitForMail(mail, { since });
    expect(request.subject).toBe('[Certificate Issuance Service] Result of your application');
    expect(request.text).toContain('Student ID number: M-2027-0002');
    expect(request.text).toContain('Please check the graduation year and month.');
    expect(request.text).toContain('Edit and resend');

    expect((await s.api('GET', '/api/applications')).body).toMatchObject([{ id, status: 'resubmit', reason: 'Please check the graduation year and month.' }]);

    // Someone else cannot touch it.
    const other = await student('s2101003', 'ichiro@example.jp');
    const foreign = await other.api('PUT', `/api/applications/${id}`, { form });
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'notFound' } } });

    const bad = await s.api('PUT', `/api/applications/${id}`, { form: { ...form, graduationYearMonth: '2029-13' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { fields: { graduationYearMonth: 'graduation.invalid' } } } });

    const resent = await s.api('PUT', `/api/applications/${id}`, { form: { ...form, graduationYearMonth: '2028-09' } });
    expect(resent).toMatchObject({ status: 200, body: { id, status: 'pending', form: { graduationYearMonth: '2028-09' } } });
    expect((await s.api('PUT', `/api/applications/${id}`, { form })).status).toBe(409);

    since = Date.now();
    await svc.deps.applications.decide(id, { action: 'approve', reason: null }, staff);
    const result = await smtp.waitForMail(mail, { since });
    expect(result.text).toContain('The following student ID number has been added to your current account.');
    expect(result.text).toContain('Student ID number: M-2027-0002');
    expect((await s.api('GET', '/api/me')).body.studentIds).toEqual([user('s2101002').studentId, 'M-2027-0002']);
  });

  it('a used link and an expired link are refused, and the link needs a registered mail to be sent', async () => {
    const mail = 'taro@example.jp';
    const s = new Student(svc);
    await s.signIn(user('s2101001'));
    expect((await s.api('POST', '/api/applications/student-id/link')).body.error.code).toBe('auth.mailRequired');
    await s.registerMail(smtp, mail);

    const anonymous = new Student(svc);
    await anonymous.session();
    expect((await anonymous.api('POST', '/api/applications/student-id/link')).status).toBe(401);
    expect((await anonymous.api('GET', '/api/applications')).status).toBe(401);

    const form = {
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'Yamada Taro',
      universityCode: 'DEMO',
      facultyCode: 'ENG',
      departmentCode: 'INF',
      studentId: '9990001',
      graduationYearMonth: '2027-03',
      leaveType: 'graduated',
    };
    const used = await mailedLink(s, mail);
    expect((await anonymous.api('POST', '/api/applications/student-id', { token: used, form })).status).toBe(201);
    const again = await anonymous.api('POST', '/api/applications/student-id', { token: used, form: { ...form, studentId: '9990002' } });
    expect(again).toMatchObject({ status: 410, body: { error: { code: 'token.used' } } });
    expect((await anonymous.api('POST', '/api/applications/student-id/check', { token: used })).body.error.code).toBe('token.used');

    // Only one mail a minute.
    expect((await s.api('POST', '/api/applications/student-id/link')).status).toBe(429);
    clock.advance(61);
    const expiring = await mailedLink(s, mail);
    clock.advance(30 * 60);
    const phone = new Student(svc);
    await phone.session();
    expect((await phone.api('POST', '/api/applications/student-id/check', { token: expiring })).body.error.code).toBe('token.expired');
    const late = await phone.api('POST', '/api/applications/student-id', { token: expiring, form: { ...form, studentId: '9990003' } });
    expect(late).toMatchObject({ status: 410, body: { error: { code: 'token.expired' } } });
    expect((await phone.api('POST', '/api/applications/student-id/check', { token: 'x'.repeat(43) })).body.error.code).toBe('token.unknown');
    expect((await phone.api('POST', '/api/applications/student-id/check', { token: 'short' })).status).toBe(400);

    expect((await svc.deps.applications.list({ search: '99900' })).items.map((a) => a.form.studentId)).toEqual(['9990001']);
  });
});
