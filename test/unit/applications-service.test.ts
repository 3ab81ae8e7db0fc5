import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApplicationStore } from '../../service/adapters/lowdb/application-store.js';
import { createAccountService, type AccountService } from '../../service/domain/accounts.js';
import type { ApplicationForm } from '../../service/domain/applications/model.js';
import { createApplicationService, type ApplicationService, type ApplicationServiceDeps } from '../../service/domain/applications/service.js';
import type { AuditLog } from '../../service/domain/audit.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { DomainError } from '../../service/domain/errors.js';
import type { Account } from '../../service/domain/model.js';
import { OneTimeTokens } from '../../service/domain/one-time-tokens.js';
import type { Store } from '../../service/domain/ports.js';
import type { Stores, TransactionStores } from '../../service/domain/stores.js';
import type { CatalogueUniversity } from '../../service/domain/registry/model.js';
import { identity, OutboxMailer, random, tempStores, TestClock } from '../support/factories.js';
import { FAILED_BEFORE_COMMIT, failingBeforeCommit, realOutbox } from '../support/outbox.js';

const catalogue: CatalogueUniversity[] = [
  {
    code: 'DEMO',
    name: { ja: 'デモ大学', en: 'Demo University' },
    faculties: [
      {
        code: 'GSE',
        name: { ja: '工学研究科', en: 'Graduate School of Engineering' },
        departments: [{ code: 'INFOM', name: { ja: '情報工学専攻', en: 'Information Engineering' } }],
      },
    ],
  },
];

const form = (overrides: Partial<ApplicationForm> = {}): ApplicationForm => ({
  nameKanji: '佐藤 花子',
  nameKana: 'サトウ ハナコ',
  nameRoman: 'Sato Hanako',
  universityCode: 'DEMO',
  facultyCode: 'GSE',
  departmentCode: 'INFOM',
  studentId: '5250001',
  graduationYearMonth: '2027-03',
  leaveType: 'graduated',
  ...overrides,
});

const staff = { id: 'staff-1', name: '事務 太郎' };

const failure = async (p: Promise<unknown>): Promise<DomainError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

const tokenOf = (text: string): string => {
  const m = /\/applications\/student-id#token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no link in:\n${text}`);
  return m[1];
};

describe('applications for an additional student ID', () => {
  let stores: Stores & { dataDir: string };
  let store: Store;
  let clock: TestClock;
  let outbox: OutboxMailer;
  let accounts: AccountService;
  let audit: AuditLog;
  let service: ApplicationService;
  let student: Account;

  /** The service over the family's ports, each transaction's ports as `inTransaction` makes them. */
  const serviceDeps = (inTransaction: (tx: TransactionStores) => TransactionStores = (tx) => tx): ApplicationServiceDeps => ({
    store: stores.applications,
    transaction: (work) => stores.transaction((tx) => work(inTransaction(tx))),
    tokens: new OneTimeTokens(store, clock, random),
    accounts,
    mailer: outbox,
    clock,
    random,
    audit,
    catalogue: async () => catalogue,
    publicUrl: 'https://cert.example.ac.jp',
  });
  const serviceOver = (inTransaction: (tx: TransactionStores) => TransactionStores = (tx) => tx) => createApplicationService(serviceDeps(inTransaction));

  beforeEach(async () => {
    clock = new TestClock();
    stores = await tempStores(clock);
    ({ store, audit } = stores);
    outbox = new OutboxMailer();
    accounts = createAccountService({ store, clock, random });
    service = serviceOver();
    const signedIn = await accounts.recordLogin(identity({ studentId: '2101002' }), 'ja');
    student = (await store.accounts.update(signedIn.id, { mail: 'hanako@example.jp' }))!;
  });
  afterEach(async () => {
    await stores.close();
  });

  /** Steps 7–12: send, open the mailed link, apply. */
  async function apply(overrides: Partial<ApplicationForm> = {}, who: Account = student) {
    await service.requestStudentIdLink(who);
    const token = tokenOf(outbox.last().text);
    clock.advance(61); // past the resend interval, for the next request in a test
    return service.submitStudentId(token, form(overrides));
  }

  it('mails a 30-minute one-time URL to the registered address, of which only a hash is stored', async () => {
    const sent = await service.requestStudentIdLink(student);
    expect(sent.sentTo).toBe('hanako@example.jp');
    expect(new Date(sent.expiresAt).getTime() - clock.now().getTime()).toBe(30 * 60 * 1000);
    const mail = outbox.last();
    expect(mail.to).toBe('hanako@example.jp');
    expect(mail.subject).toContain('学籍番号追加登録');
    const token = tokenOf(mail.text);
    expect(mail.text).toContain(`https://cert.example.ac.jp/applications/student-id#token=${token}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(await store.tokens.get(token)).toBeNull();
    expect((await store.tokens.get(hashSecret(token)))?.purpose).toBe('application.studentId');
  });

  it('enqueues the link with its token: none when the transaction fails, exactly one when it commits', async () => {
    const real = realOutbox(stores, clock);
    const over = (transaction: Stores['transaction']) => createApplicationService({ ...serviceDeps(), transaction, mailer: real.mailer });
    await expect(over(failingBeforeCommit((work) => stores.transaction(work))).requestStudentIdLink(student)).rejects.toThrow(FAILED_BEFORE_COMMIT);
    expect(await real.mails()).toEqual([]);
    expect(await store.tokens.latest(student.id, 'application.studentId')).toBeNull();
    await over((work) => stores.transaction(work)).requestStudentIdLink(student);
    const mails = await real.mails();
    expect(mails.map((m) => m.to)).toEqual(['hanako@example.jp']);
    expect((await store.tokens.get(hashSecret(tokenOf(mails[0]!.text))))?.purpose).toBe('application.studentId');
  });

  it('mails the link in the account language', async () => {
    const en = (await store.accounts.update(student.id, { language: 'en' }))!;
    await service.requestStudentIdLink(en);
    expect(outbox.last().subject).toBe('[Certificate Issuance Service] Additional registration of student ID number');
  });

  it('refuses a second link within a minute', async () => {
    await service.requestStudentIdLink(student);
    expect((await failure(service.requestStudentIdLink(student))).code).toBe('mail.rateLimited');
  });

  it('checks a link without using it up, and then uses it up on application', async () => {
    await service.requestStudentIdLink(student);
    const token = tokenOf(outbox.last().text);
    expect((await service.checkLink(token)).accountId).toBe(student.id);
    expect((await service.checkLink(token)).accountId).toBe(student.id);
    const application = await service.submitStudentId(token, form());
    expect(application).toMatchObject({ kind: 'studentId', status: 'pending', accountId: student.id, mail: 'hanako@example.jp', language: 'ja' });
    expect((await failure(service.checkLink(token))).code).toBe('token.used');
    expect((await failure(service.submitStudentId(token, form({ studentId: '5250002' })))).code).toBe('token.used');
  });

  it('refuses an expired link and an unknown one', async () => {
    await service.requestStudentIdLink(student);
    const token = tokenOf(outbox.last().text);
    clock.advance(30 * 60);
    expect((await failure(service.checkLink(token))).code).toBe('token.expired');
    expect((await failure(service.submitStudentId(token, form()))).code).toBe('token.expired');
    expect((await failure(service.checkLink(random.token(32)))).code).toBe('token.unknown');
  });

  it('keeps the link usable when the form has mistakes', async () => {
    await service.requestStudentIdLink(student);
    const token = tokenOf(outbox.last().text);
    const err = await failure(service.submitStudentId(token, { ...form(), nameKana: 'さとう はなこ', facultyCode: 'LAW' }));
    expect(err.code).toBe('validation.failed');
    expect(err.fields).toEqual({ nameKana: 'kana.invalid', facultyCode: 'faculty.unknown' });
    expect((await service.submitStudentId(token, form())).status).toBe('pending');
  });

  it('stores the form normalised', async () => {
    const application = await apply({ nameKanji: '佐藤　花子', studentId: '５２５０００１' } as Partial<ApplicationForm>);
    expect(application.form).toMatchObject({ nameKanji: '佐藤 花子', studentId: '5250001' });
  });

  it('refuses an application for a student ID the account has, or one already under review', async () => {
    expect((await failure(apply({ studentId: '2101002' }))).fields).toEqual({ studentId: 'studentId.alreadyYours' });
    await apply();
    expect((await failure(apply())).fields).toEqual({ studentId: 'studentId.pending' });
  });

  it('records the submission in the audit log', async () => {
    const application = await apply();
    const { items } = await audit.list({ targetId: application.id });
    expect(items).toMatchObject([{ action: 'application.submitted', actor: { type: 'student', id: student.id } }]);
  });

  describe('staff decisions', () => {
    it('approving adds the student ID to the account and mails the result in the manual words', async () => {
      const application = await apply();
      const decided = await service.decide(application.id, { action: 'approve', reason: null }, staff);
      expect(decided).toMatchObject({ status: 'approved', decidedBy: 'staff-1', reason: null });
      expect(decided.history.map((h) => h.action)).toEqual(['submitted', 'approved']);
      expect((await accounts.get(student.id)).studentIds).toEqual(['2101002', '5250001']);
      const mail = outbox.last();
      expect(mail.to).toBe('hanako@example.jp');
      expect(mail.subject).toContain('利用申請結果のお知らせ');
      expect(mail.text).toContain('学籍番号の追加登録が完了しました。以下の学籍番号を現在のアカウントへ追加しました。');
      expect(mail.text).toContain('学籍番号:5250001');
      const { items } = await audit.list({});
      expect(items.map((e) => e.action)).toEqual(['account.studentId.added', 'application.approved', 'application.submitted']);
      expect(items[1]).toMatchObject({
        actor: { type: 'staff', id: 'staff-1', name: '事務 太郎' },
        before: { status: 'pending' },
        after: { status: 'approved' },
      });
      expect(items[0]).toMatchObject({ before: { studentIds: ['2101002'] }, after: { studentIds: ['2101002', '5250001'] } });
    });

    it('decides only once: a second decision is refused and changes nothing', async () => {
      const application = await apply();
      await service.decide(application.id, { action: 'reject', reason: '在籍記録が見つかりません。' }, staff);
      const err = await failure(service.decide(application.id, { action: 'approve', reason: null }, { id: 'staff-2', name: 'B' }));
      expect(err.code).toBe('application.alreadyDecided');
      expect((await service.get(application.id))?.status).toBe('rejected');
      expect((await accounts.get(student.id)).studentIds).toEqual(['2101002']);
    });

    it('lets only one of two simultaneous decisions win', async () => {
      const application = await apply();
      const results = await Promise.allSettled([
        service.decide(application.id, { action: 'approve', reason: null }, staff),
        service.decide(application.id, { action: 'reject', reason: 'no' }, { id: 'staff-2', name: 'B' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as DomainError).code).toBe('application.alreadyDecided');
    });

    it('requires a reason to reject or to ask for resubmission', async () => {
      const application = await apply();
      expect((await failure(service.decide(application.id, { action: 'reject', reason: '  ' }, staff))).code).toBe('application.reasonRequired');
      expect((await failure(service.decide(application.id, { action: 'resubmit', reason: null }, staff))).code).toBe('application.reasonRequired');
      expect((await service.get(application.id))?.status).toBe('pending');
    });

    it('mails a rejection with its reason, in English for an English account', async () => {
      await store.accounts.update(student.id, { language: 'en' });
      const application = await apply({}, (await store.accounts.get(student.id))!);
      await service.decide(application.id, { action: 'reject', reason: 'No record of this student ID.' }, staff);
      const mail = outbox.last();
      expect(mail.subject).toBe('[Certificate Issuance Service] Result of your application');
      expect(mail.text).toContain('Student ID number: 5250001');
      expect(mail.text).toContain('No record of this student ID.');
      expect((await accounts.get(student.id)).studentIds).toEqual(['2101002']);
    });

    it('refuses to approve a student ID that another account holds', async () => {
      const other = await accounts.recordLogin(identity({ studentId: '5250001' }), 'ja');
      const application = await apply();
      const err = await failure(service.decide(application.id, { action: 'approve', reason: null }, staff));
      expect(err.code).toBe('application.studentIdTaken');
      expect((await service.get(application.id))?.status).toBe('pending');
      expect((await accounts.get(student.id)).studentIds).toEqual(['2101002']);
      expect((await accounts.get(other.id)).studentIds).toEqual(['5250001']);
      // Staff may still reject it.
      expect((await service.decide(application.id, { action: 'reject', reason: 'taken' }, staff)).status).toBe('rejected');
    });

    it('tells listeners of a decision, and undoes the decision when a listener fails', async () => {
      const seen: string[] = [];
      service.onDecided(async (a, action) => {
        seen.push(`${a.id}:${action}`);
        if (a.form.studentId === '5250009') throw new Error('activation failed');
      });
      const ok = await apply();
      await service.decide(ok.id, { action: 'resubmit', reason: '卒業年月を確認してください。' }, staff);
      expect(seen).toEqual([`${ok.id}:resubmit`]);
      const bad = await apply({ studentId: '5250009' });
      await expect(service.decide(bad.id, { action: 'reject', reason: 'x' }, staff)).rejects.toThrow('activation failed');
      expect((await service.get(bad.id))?.status).toBe('pending');
    });

    it('keeps an approval whole or not at all: without its audit entry, the application stays pending and the account unchanged', async () => {
      const application = await apply();
      const auditFails = serviceOver((tx) => ({
        ...tx,
        audit: {
          ...tx.audit,
          append: async () => {
            throw new Error('the audit log cannot be written');
          },
        },
      }));
      outbox.sent.length = 0;
      await expect(auditFails.decide(application.id, { action: 'approve', reason: null }, staff)).rejects.toThrow('the audit log cannot be written');
      expect((await service.get(application.id))?.status).toBe('pending');
      expect((await accounts.get(student.id)).studentIds).toEqual(['2101002']);
      expect(outbox.sent).toEqual([]);
      // Staff can decide again once the log can be written.
      expect((await service.decide(application.id, { action: 'approve', reason: null }, staff)).status).toBe('approved');
      expect((await accounts.get(student.id)).studentIds).toEqual(['2101002', application.form.studentId]);
    });
  });

  it('adds a student ID to an account only while no other account holds it, and only once', async () => {
    const other = await accounts.recordLogin(identity({ studentId: '7770001' }), 'ja');
    expect((await failure(accounts.addStudentId(student.id, '7770001'))).code).toBe('application.studentIdTaken');
    expect(await accounts.addStudentId(student.id, '7770002')).toMatchObject({ added: true, account: { studentIds: ['2101002', '7770002'] } });
    expect(await accounts.addStudentId(student.id, '7770002')).toMatchObject({ added: false, account: { studentIds: ['2101002', '7770002'] } });
    // Two accounts racing for one ID: one wins.
    const results = await Promise.allSettled([accounts.addStudentId(student.id, '7770003'), accounts.addStudentId(other.id, '7770003')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await accounts.findByStudentId('7770003')).length).toBe(1);
  });

  describe('resubmission', () => {
    it('lets the applicant edit and send again after a resubmission request, back to review', async () => {
      const application = await apply({ graduationYearMonth: '2026-03' });
      await service.decide(application.id, { action: 'resubmit', reason: '卒業年月を確認してください。' }, staff);
      const mail = outbox.last();
      expect(mail.text).toContain('卒業年月を確認してください。');
      expect(mail.text).toContain('編集して再申請');
      expect(await service.listForAccount(student.id)).toMatchObject([{ id: application.id, status: 'resubmit', reason: '卒業年月を確認してください。' }]);

      const again = await service.resubmit(student.id, application.id, form({ graduationYearMonth: '2027-03' }));
      expect(again).toMatchObject({ status: 'pending', form: { graduationYearMonth: '2027-03' } });
      expect(again.history.map((h) => h.action)).toEqual(['submitted', 'resubmit', 'resubmitted']);
      expect((await audit.list({ action: 'application.resubmitted' })).items).toMatchObject([
        { before: { status: 'resubmit', form: { graduationYearMonth: '2026-03' } }, after: { status: 'pending' } },
      ]);
      const approved = await service.decide(application.id, { action: 'approve', reason: null }, staff);
      expect(approved.status).toBe('approved');
      expect((await accounts.get(student.id)).studentIds).toContain('5250001');
    });

    it('refuses a resubmission by anyone but the applicant, as if the application did not exist', async () => {
      const application = await apply();
      await service.decide(application.id, { action: 'resubmit', reason: 'x' }, staff);
      const other = await accounts.recordLogin(identity(), 'ja');
      expect((await failure(service.resubmit(other.id, application.id, form()))).code).toBe('notFound');
      expect((await service.get(application.id))?.status).toBe('resubmit');
    });

    it('refuses a resubmission unless staff asked for one', async () => {
      const application = await apply();
      expect((await failure(service.resubmit(student.id, application.id, form()))).code).toBe('application.notResubmittable');
      await service.decide(application.id, { action: 'approve', reason: null }, staff);
      expect((await failure(service.resubmit(student.id, application.id, form()))).code).toBe('application.notResubmittable');
    });

    it('checks the edited form like a new one', async () => {
      const application = await apply();
      await service.decide(application.id, { action: 'resubmit', reason: 'x' }, staff);
      const err = await failure(service.resubmit(student.id, application.id, { ...form(), nameRoman: 'SatoHanako' }));
      expect(err.fields).toEqual({ nameRoman: 'name.spaceRequired' });
      expect((await service.get(application.id))?.status).toBe('resubmit');
    });
  });

  // Ordering, filters and paging of the list are the store's (applications-registry-contract.test.ts).
  it('searches applications for staff with the query folded as the stored key is', async () => {
    const first = await apply();
    clock.advance(60);
    const second = await apply({ studentId: '5250002', nameKanji: '佐藤 花', nameRoman: 'Sato Hana' });
    expect((await service.list({ search: '５２５０００２' })).items.map((a) => a.id)).toEqual([second.id]);
    expect((await service.list({ search: 'SATO　HANAKO' })).items.map((a) => a.id)).toEqual([first.id]);
    expect((await service.list({ search: 'hanako@example' })).total).toBe(2);
  });

  it('keeps applications, with their decisions, in the data directory', async () => {
    const application = await apply();
    await service.decide(application.id, { action: 'resubmit', reason: '氏名を確認してください。' }, staff);
    const reopened = await openApplicationStore(stores.dataDir);
    expect(await reopened.get(application.id)).toEqual(await service.get(application.id));
    expect(await reopened.listForAccount(student.id)).toMatchObject([{ status: 'resubmit', reason: '氏名を確認してください。' }]);
  });
});
