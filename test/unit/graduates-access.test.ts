import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GRADUATE_CREDENTIALS_FILE } from '../../service/adapters/lowdb/graduate-store.js';
import { loadConfig } from '../../service/config.js';
import { createAccountService } from '../../service/domain/accounts.js';
import { createApplicationService } from '../../service/domain/applications/service.js';
import { DomainError } from '../../service/domain/errors.js';
import { GRADUATE_IDP } from '../../service/domain/graduates/model.js';
import { OneTimeTokens } from '../../service/domain/one-time-tokens.js';
import * as passwords from '../../service/domain/passwords.js';
import type { CatalogueUniversity } from '../../service/domain/registry/model.js';
import type { TransactionStores } from '../../service/domain/stores.js';
import { createGraduatesFeature, type GraduateService } from '../../service/features/graduates.js';
import { OutboxMailer, random, tempStores, TestClock } from '../support/factories.js';
import { FAILED_BEFORE_COMMIT, realOutbox } from '../support/outbox.js';
import { localJobLocks } from '../../service/adapters/local/job-locks.js';

// Real scrypt (about 32 MiB and tens of milliseconds per hash): generous time when the suite runs in parallel.
vi.setConfig({ testTimeout: 60_000 });

// Counts the verifications while keeping the real scrypt work.
vi.mock('../../service/domain/passwords.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../service/domain/passwords.js')>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

const CATALOGUE: CatalogueUniversity[] = [
  {
    code: 'DEMO',
    name: { ja: 'デモ大学', en: 'Demo University' },
    faculties: [
      {
        code: 'ENG',
        name: { ja: '工学部', en: 'Faculty of Engineering' },
        departments: [{ code: 'INF', name: { ja: '情報工学科', en: 'Information Engineering' } }],
      },
    ],
  },
];

const FORM = {
  nameKanji: '佐藤　花子',
  nameKana: 'サトウ ハナコ',
  nameRoman: 'Hanako Sato',
  universityCode: 'DEMO',
  facultyCode: 'ENG',
  departmentCode: 'INF',
  studentId: '1900123',
  graduationYearMonth: '2020-03',
  leaveType: 'graduated',
};
const PASSWORD = 'correct4horse';
const SECOND = 'tiger-77';
const SECRETS = { password: PASSWORD, passwordConfirm: PASSWORD, secondPassword: SECOND, secondPasswordConfirm: SECOND };
const STAFF = { id: 'staff-1', name: 'Reviewer' };

const linkIn = (text: string, page: 'register' | 'reset'): string => {
  const m = new RegExp(`/graduates/${page}#token=([A-Za-z0-9_-]{43})`).exec(text);
  if (!m?.[1]) throw new Error(`no ${page} link in:\n${text}`);
  return m[1];
};

/** What a refused call threw: its code and params (the whole answer a client would see). */
async function refusal(p: Promise<unknown>): Promise<{ code: string; params: Record<string, string | number>; fields?: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, params: e.params, ...(e.fields ? { fields: e.fields } : {}) };
    throw e;
  }
  throw new Error('expected a refusal');
}

/**
 * `inTransaction`: what the graduates feature's transactions see (a port that fails, say).
 * `outbox: 'real'`: mails go to the store's outbox (`mails()`), and `failing.commit` makes every
 * transaction fail after its work, just before its commit.
 */
async function harness(inTransaction: (tx: TransactionStores) => TransactionStores = (tx) => tx, options: { outbox?: 'real' } = {}) {
  const clock = new TestClock();
  const family = await tempStores(clock);
  const failing = { commit: false };
  const stores = {
    ...family,
    transaction: <T>(work: (tx: TransactionStores) => Promise<T>) =>
      family.transaction(async (tx) => {
        const result = await work(inTransaction(tx));
        if (failing.commit) throw new Error(FAILED_BEFORE_COMMIT);
        return result;
      }),
  };
  const { store, audit, dataDir } = stores;
  const fake = new OutboxMailer();
  const real = options.outbox === 'real' ? realOutbox(family, clock) : null;
  const mailer = real?.mailer ?? fake;
  const mails = async () => real?.mails() ?? fake.sent;
  const lastMail = async () => (await mails()).at(-1)!;
  const accounts = createAccountService({ store, clock, random });
  const applications = createApplicationService({
    store: stores.applications,
    transaction: (work) => stores.transaction(work),
    tokens: new OneTimeTokens(store, clock, random),
    accounts,
    mailer,
    clock,
    random,
    audit,
    catalogue: async () => CATALOGUE,
    publicUrl: 'https://shomei.test',
  });
  const config = loadConfig({ DATA_DIR: dataDir, SAML_IDP_METADATA: '/nonexistent/idp.xml', PUBLIC_URL: 'https://shomei.test' });
  const graduates: GraduateService = createGraduatesFeature({
    config,
    logger: pino({ level: 'silent' }),
    stores,
    locks: localJobLocks(),
    clock,
    random,
    mailer,
    accounts,
    audit,
    applications,
  });

  /** Apply → link → register; returns the new account's ID and its application. */
  async function registered(mail = `grad${Math.random().toString(36).slice(2, 8)}@example.jp`, secrets = SECRETS) {
    await graduates.apply(mail, mail, 'ja', 'apply-client');
    const token = linkIn((await lastMail()).text, 'register');
    const { application } = await graduates.register({ token, form: FORM, ...secrets, language: 'ja', catalogue: CATALOGUE });
    return { mail, application, accountId: application.accountId };
  }

  async function approved(mail?: string, secrets = SECRETS) {
    const r = await registered(mail, secrets);
    await applications.decide(r.application.id, { action: 'approve', reason: null }, STAFF);
    return r;
  }

  return { store, dataDir, clock, mailer: fake, mails, failing, audit, applications, graduates, registered, approved };
}

type Harness = Awaited<ReturnType<typeof harness>>;

describe('graduate registration', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  it('mails a one-time URL, and registering through it creates an inactive account and a pending application', async () => {
    const sent = await h.graduates.apply(' Hanako.Sato@Example.jp ', 'hanako.sato@example.jp', 'en', 'c1');
    expect(sent.sentTo).toBe('Hanako.Sato@Example.jp');
    const mail = h.mailer.last();
    expect(mail.to).toBe('Hanako.Sato@Example.jp');
    expect(mail.subject).toBe('[Certificate Issuance Service] Apply for access');
    const token = linkIn(mail.text, 'register');
    expect(await h.graduates.checkRegistration(token)).toEqual({ mail: 'hanako.sato@example.jp', expiresAt: sent.expiresAt });

    const { mail: address, application } = await h.graduates.register({ token, form: FORM, ...SECRETS, language: 'en', catalogue: CATALOGUE });
    expect(address).toBe('hanako.sato@example.jp');
    expect(application).toMatchObject({ kind: 'graduate', status: 'pending', mail: 'hanako.sato@example.jp', language: 'en' });
    expect(application.form.nameKanji).toBe('佐藤 花子');
    const account = await h.store.accounts.findByIdentity(GRADUATE_IDP, 'hanako.sato@example.jp');
    expect(account).toMatchObject({
      id: application.accountId,
      kind: 'graduate',
      active: false,
      mail: 'hanako.sato@example.jp',
      studentIds: [],
      nameRoman: 'Hanako Sato',
    });

    expect(await refusal(h.graduates.register({ token, form: FORM, ...SECRETS, language: 'en', catalogue: CATALOGUE }))).toMatchObject({ code: 'token.used' });
    const actions = (await h.audit.list({})).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['graduate.registered', 'application.submitted']));
  });

  it('stores only scrypt hashes of the two secrets, never the secrets', async () => {
    const { accountId } = await h.registered();
    const file = readFileSync(path.join(h.dataDir, GRADUATE_CREDENTIALS_FILE), 'utf8');
    expect(file).not.toContain(PASSWORD);
    expect(file).not.toContain(SECOND);
    const stored = JSON.parse(file).records.find((r: { accountId: string }) => r.accountId === accountId);
    expect(stored.passwordHash).toMatch(/^scrypt\$ln=\d+,r=\d+,p=\d\$/);
    expect(stored.secondPasswordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toBe(stored.secondPasswordHash);
  });

  it('keeps the link usable when the form or the secrets have mistakes, and says which fields', async () => {
    await h.graduates.apply('taro@example.jp', 'taro@example.jp', 'ja', 'c1');
    const token = linkIn(h.mailer.last().text, 'register');
    const wrong = await refusal(
      h.graduates.register({
        token,
        form: { ...FORM, nameKana: 'さとう はなこ', universityCode: 'NOPE' },
        password: 'taro-12345678',
        passwordConfirm: 'taro-12345678',
        secondPassword: 'taro-12345678',
        secondPasswordConfirm: 'x',
        language: 'ja',
        catalogue: CATALOGUE,
      }),
    );
    expect(wrong).toMatchObject({
      code: 'validation.failed',
      fields: {
        'form.nameKana': 'kana.invalid',
        'form.universityCode': 'university.unknown',
        password: 'password.containsMail',
        secondPassword: 'secondPassword.sameAsPassword',
      },
    });
    await expect(h.graduates.checkRegistration(token)).resolves.toMatchObject({ mail: 'taro@example.jp' });
    await expect(h.graduates.register({ token, form: FORM, ...SECRETS, language: 'ja', catalogue: CATALOGUE })).resolves.toBeTruthy();
  });

  it('answers a registered address exactly like a new one, but mails that it has an account', async () => {
    const { mail } = await h.registered('kenji@example.jp');
    h.clock.advance(120);
    const again = await h.graduates.apply(mail, mail, 'ja', 'c2');
    const fresh = await h.graduates.apply('someone.new@example.jp', 'someone.new@example.jp', 'ja', 'c2');
    expect(Object.keys(again)).toEqual(Object.keys(fresh));
    const [exists, link] = h.mailer.sent.slice(-2);
    expect(exists!.to).toBe(mail);
    expect(exists!.text).toContain('既に登録されています');
    expect(exists!.text).not.toContain('/graduates/register#token=');
    expect(link!.text).toContain('/graduates/register#token=');
    // The same rate limit for both.
    expect(await refusal(h.graduates.apply(mail, mail, 'ja', 'c2'))).toMatchObject({ code: 'mail.rateLimited' });
    expect(await refusal(h.graduates.apply('someone.new@example.jp', 'someone.new@example.jp', 'ja', 'c2'))).toMatchObject({ code: 'mail.rateLimited' });
  });

  it('refuses a confirmation that differs from the address', async () => {
    expect(await refusal(h.graduates.apply('a@example.jp', 'b@example.jp', 'ja', 'c1'))).toMatchObject({
      code: 'validation.failed',
      fields: { mailConfirm: 'mail.mismatch' },
    });
  });

  it('keeps no account, credentials or audit entry, and the link usable, when the application cannot be written', async () => {
    const failing = await harness((tx) => ({
      ...tx,
      applications: {
        ...tx.applications,
        insert: async () => {
          throw new Error('the disk is full');
        },
      },
    }));
    await failing.graduates.apply('jiro@example.jp', 'jiro@example.jp', 'ja', 'c1');
    const token = linkIn(failing.mailer.last().text, 'register');
    await expect(failing.graduates.register({ token, form: FORM, ...SECRETS, language: 'ja', catalogue: CATALOGUE })).rejects.toThrow('the disk is full');
    expect(await failing.store.accounts.findByIdentity(GRADUATE_IDP, 'jiro@example.jp')).toBeNull();
    expect((await failing.audit.list({ action: 'graduate.' })).total).toBe(0);
    await expect(failing.graduates.checkRegistration(token)).resolves.toMatchObject({ mail: 'jiro@example.jp' });
  });
});

describe('graduate sign-in', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    vi.mocked(passwords.verifyPassword).mockClear();
  });

  it('signs an approved graduate in with the student ID of the application on the account', async () => {
    const { mail, accountId } = await h.approved('yuki@example.jp');
    const account = await h.graduates.login({ mail: ' YUKI@example.jp ', password: PASSWORD, secondPassword: SECOND, client: 'c1' });
    expect(account).toMatchObject({ id: accountId, mail, active: true, studentIds: ['1900123'] });
    expect(account.lastLoginAt).toBe(h.clock.now().toISOString());
    const actions = (await h.audit.list({})).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['application.approved', 'account.activated', 'graduate.signedIn']));
  });

  it('gives one answer whichever secret was wrong, or when the address is unknown, and always verifies both secrets', async () => {
    const { mail } = await h.approved('mika@example.jp');
    const verify = vi.mocked(passwords.verifyPassword);
    const attempts = [
      { mail, password: 'wrong4password', secondPassword: SECOND },
      { mail, password: PASSWORD, secondPassword: 'wrong-second' },
      { mail, password: 'wrong4password', secondPassword: 'wrong-second' },
      { mail: 'nobody@example.jp', password: PASSWORD, secondPassword: SECOND },
    ];
    const answers = [];
    for (const attempt of attempts) {
      verify.mockClear();
      answers.push(await refusal(h.graduates.login({ ...attempt, client: 'c1' })));
      expect(verify).toHaveBeenCalledTimes(2);
      h.clock.advance(600);
    }
    for (const answer of answers) expect(answer).toEqual({ code: 'graduate.loginFailed', params: {} });
  });

  it('says "not approved yet" only when both secrets are right', async () => {
    const { mail } = await h.registered('pending@example.jp');
    expect(await refusal(h.graduates.login({ mail, password: PASSWORD, secondPassword: 'wrong-second', client: 'c1' }))).toEqual({
      code: 'graduate.loginFailed',
      params: {},
    });
    expect(await refusal(h.graduates.login({ mail, password: PASSWORD, secondPassword: SECOND, client: 'c1' }))).toEqual({
      code: 'graduate.notApproved',
      params: {},
    });
  });

  it('lets a graduate asked for resubmission sign in to edit the application, and refuses a rejected one', async () => {
    const asked = await h.registered('again@example.jp');
    await h.applications.decide(asked.application.id, { action: 'resubmit', reason: '氏名を確認してください' }, STAFF);
    await expect(h.graduates.login({ mail: asked.mail, password: PASSWORD, secondPassword: SECOND, client: 'c1' })).resolves.toMatchObject({
      id: asked.accountId,
      active: false,
    });
    const rejected = await h.registered('no@example.jp');
    await h.applications.decide(rejected.application.id, { action: 'reject', reason: '在籍記録がありません' }, STAFF);
    expect(await refusal(h.graduates.login({ mail: rejected.mail, password: PASSWORD, secondPassword: SECOND, client: 'c1' }))).toMatchObject({
      code: 'graduate.rejected',
    });
  });

  it('slows down after three failures: 2, then 4 seconds between attempts', async () => {
    const { mail } = await h.approved('slow@example.jp');
    const wrong = { mail, password: PASSWORD, secondPassword: 'wrong-second', client: 'c1' };
    for (let i = 0; i < 3; i++) expect((await refusal(h.graduates.login(wrong))).code).toBe('graduate.loginFailed');
    expect(await refusal(h.graduates.login(wrong))).toEqual({ code: 'graduate.tooManyAttempts', params: { seconds: 2 } });
    // Refused while waiting, even with the right secrets, and without checking them.
    vi.mocked(passwords.verifyPassword).mockClear();
    expect((await refusal(h.graduates.login({ ...wrong, secondPassword: SECOND }))).code).toBe('graduate.tooManyAttempts');
    expect(passwords.verifyPassword).not.toHaveBeenCalled();
    h.clock.advance(1);
    expect(await refusal(h.graduates.login(wrong))).toEqual({ code: 'graduate.tooManyAttempts', params: { seconds: 1 } });
    h.clock.advance(1);
    expect((await refusal(h.graduates.login(wrong))).code).toBe('graduate.loginFailed');
    expect(await refusal(h.graduates.login(wrong))).toEqual({ code: 'graduate.tooManyAttempts', params: { seconds: 4 } });
  });

  it('locks the address for 30 minutes after 10 failures in a row, then lets it try again', async () => {
    const { mail } = await h.approved('locked@example.jp');
    const wrong = { mail, password: 'wrong4password', secondPassword: SECOND, client: 'c1' };
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) {
      if (i > 0) h.clock.advance(300); // past each slow-down delay
      answers.push((await refusal(h.graduates.login(wrong))).code);
    }
    expect(answers.slice(0, 9).every((c) => c === 'graduate.loginFailed')).toBe(true);
    expect(answers[9]).toBe('graduate.locked');
    h.clock.advance(1);
    expect(await refusal(h.graduates.login({ ...wrong, password: PASSWORD }))).toEqual({ code: 'graduate.locked', params: { minutes: 30 } });
    h.clock.advance(30 * 60);
    await expect(h.graduates.login({ ...wrong, password: PASSWORD })).resolves.toMatchObject({ mail });
    const lock = (await h.audit.list({ action: 'graduate.locked' })).items[0];
    expect(lock).toMatchObject({ target: { type: 'graduateLogin', id: mail } });
  });

  it('slows down and locks an unknown address exactly like a known one', async () => {
    const { mail } = await h.approved('known@example.jp');
    const run = async (address: string) => {
      const codes: string[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await refusal(h.graduates.login({ mail: address, password: 'wrong4password', secondPassword: SECOND, client: address }))).code);
      return codes;
    };
    expect(await run('unknown@example.jp')).toEqual(await run(mail));
  });

  it('forgets the failures after a successful sign-in', async () => {
    const { mail } = await h.approved('reset-counter@example.jp');
    const wrong = { mail, password: 'wrong4password', secondPassword: SECOND, client: 'c1' };
    for (let i = 0; i < 3; i++) await refusal(h.graduates.login(wrong));
    h.clock.advance(2);
    await h.graduates.login({ ...wrong, password: PASSWORD });
    for (let i = 0; i < 3; i++) expect((await refusal(h.graduates.login(wrong))).code).toBe('graduate.loginFailed');
  });

  it('slows down one client trying many addresses', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push((await refusal(h.graduates.login({ mail: `guess${i}@example.jp`, password: PASSWORD, secondPassword: SECOND, client: '203.0.113.9' }))).code);
    }
    expect(codes.slice(0, 20).every((c) => c === 'graduate.loginFailed')).toBe(true);
    expect(codes[20]).toBe('graduate.tooManyAttempts');
    // Another client is not affected.
    expect((await refusal(h.graduates.login({ mail: 'guess0@example.jp', password: PASSWORD, secondPassword: SECOND, client: '198.51.100.1' }))).code).toBe(
      'graduate.loginFailed',
    );
  });
});

describe('graduate password reset', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  it('mails a one-time URL; the new password works, the old does not, the lock is lifted and the address is told', async () => {
    const { mail, accountId } = await h.approved('forgetful@example.jp');
    for (let i = 0; i < 10; i++) {
      await refusal(h.graduates.login({ mail, password: 'wrong4password', secondPassword: SECOND, client: 'c1' }));
      h.clock.advance(300);
    }
    expect((await refusal(h.graduates.login({ mail, password: PASSWORD, secondPassword: SECOND, client: 'c1' }))).code).toBe('graduate.locked');
    await h.store.sessions.put({
      idHash: 'old-session',
      accountId,
      csrfToken: 'x',
      kiosk: false,
      createdAt: h.clock.now().toISOString(),
      lastSeenAt: h.clock.now().toISOString(),
      expiresAt: new Date(h.clock.now().getTime() + 3600_000).toISOString(),
      saml: null,
    });

    await h.graduates.forgot(mail.toUpperCase(), 'ja', 'c1');
    const token = linkIn(h.mailer.last().text, 'reset');
    expect(h.mailer.last().subject).toBe('【証明書発行サービス】パスワード再設定のご案内');
    expect(await h.graduates.checkReset(token)).toMatchObject({ mail });
    const fresh = 'new-secret-2026';
    await h.graduates.reset({ token, password: fresh, passwordConfirm: fresh, secondPassword: '', secondPasswordConfirm: '' });

    expect(h.mailer.last()).toMatchObject({ to: mail, subject: '【証明書発行サービス】パスワードが変更されました' });
    expect(await h.store.sessions.get('old-session')).toBeNull();
    expect((await refusal(h.graduates.login({ mail, password: PASSWORD, secondPassword: SECOND, client: 'c2' }))).code).toBe('graduate.loginFailed');
    await expect(h.graduates.login({ mail, password: fresh, secondPassword: SECOND, client: 'c2' })).resolves.toMatchObject({ id: accountId });
    expect(await refusal(h.graduates.reset({ token, password: fresh, passwordConfirm: fresh, secondPassword: '', secondPasswordConfirm: '' }))).toMatchObject({
      code: 'token.used',
    });
    expect((await h.audit.list({ action: 'graduate.passwordReset' })).total).toBe(1);
  });

  it('can set a new second password too, and refuses a new password equal to the kept second password', async () => {
    const longSecond = 'second-secret-2020';
    const { mail } = await h.approved('both@example.jp', { ...SECRETS, secondPassword: longSecond, secondPasswordConfirm: longSecond });
    await h.graduates.forgot(mail, 'ja', 'c1');
    const token = linkIn(h.mailer.last().text, 'reset');
    const same = await refusal(h.graduates.reset({ token, password: longSecond, passwordConfirm: longSecond, secondPassword: '', secondPasswordConfirm: '' }));
    expect(same).toMatchObject({ code: 'validation.failed', fields: { password: 'password.sameAsSecond' } });
    await h.graduates.reset({
      token,
      password: 'new-secret-2026',
      passwordConfirm: 'new-secret-2026',
      secondPassword: 'lion-8888',
      secondPasswordConfirm: 'lion-8888',
    });
    await expect(h.graduates.login({ mail, password: 'new-secret-2026', secondPassword: 'lion-8888', client: 'c1' })).resolves.toMatchObject({ mail });
    expect(h.mailer.sent.at(-1)!.text).toContain('第2パスワード');
  });

  it('answers an unknown address like a known one and mails how to apply instead', async () => {
    const { mail } = await h.approved('known2@example.jp');
    const known = await h.graduates.forgot(mail, 'en', 'c1');
    const unknown = await h.graduates.forgot('stranger@example.jp', 'en', 'c1');
    expect(Object.keys(unknown)).toEqual(Object.keys(known));
    expect(h.mailer.last()).toMatchObject({ to: 'stranger@example.jp' });
    expect(h.mailer.last().text).toContain('no graduate account is registered');
    expect(h.mailer.last().text).toContain('https://shomei.test/graduates/apply');
    expect(h.mailer.last().text).not.toContain('#token=');
  });
});

describe('graduate mails, each in the transaction of what it announces', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(undefined, { outbox: 'real' });
  });
  const failed = async (p: Promise<unknown>) => {
    h.failing.commit = true;
    await expect(p).rejects.toThrow(FAILED_BEFORE_COMMIT);
    h.failing.commit = false;
  };

  it('the registration link: none when the transaction fails, exactly one when it commits', async () => {
    await failed(h.graduates.apply('new@example.jp', 'new@example.jp', 'ja', 'c1'));
    expect(await h.mails()).toEqual([]);
    await h.graduates.apply('new@example.jp', 'new@example.jp', 'ja', 'c1');
    const mails = await h.mails();
    expect(mails.map((m) => m.to)).toEqual(['new@example.jp']);
    expect(await h.graduates.checkRegistration(linkIn(mails[0]!.text, 'register'))).toMatchObject({ mail: 'new@example.jp' });
  });

  it('the reset link and the notice of the new password: none when the transaction fails, exactly one each when it commits', async () => {
    const { mail } = await h.approved('reset@example.jp');
    const before = (await h.mails()).length;
    await failed(h.graduates.forgot(mail, 'ja', 'c1'));
    expect(await h.mails()).toHaveLength(before);
    await h.graduates.forgot(mail, 'ja', 'c1');
    const link = (await h.mails()).slice(before);
    expect(link.map((m) => m.subject)).toEqual(['【証明書発行サービス】パスワード再設定のご案内']);
    const token = linkIn(link[0]!.text, 'reset');
    const fresh = 'new-secret-2026';
    const reset = { token, password: fresh, passwordConfirm: fresh, secondPassword: '', secondPasswordConfirm: '' };
    await failed(h.graduates.reset(reset));
    expect(await h.mails()).toHaveLength(before + 1);
    await h.graduates.reset(reset);
    expect((await h.mails()).slice(before + 1).map((m) => [m.to, m.subject])).toEqual([[mail, '【証明書発行サービス】パスワードが変更されました']]);
  });
});
