import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { LowdbStore } from '../../service/adapters/lowdb/store.js';
import { createAccountService, type AccountService } from '../../service/domain/accounts.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { DomainError } from '../../service/domain/errors.js';
import { createMailService, type MailService } from '../../service/domain/mail-verification.js';
import type { Account } from '../../service/domain/model.js';
import type { Store } from '../../service/domain/ports.js';
import type { Stores } from '../../service/domain/stores.js';
import { account, identity, OutboxMailer, random, tempStore, tempStores, TestClock, tokenFromMail } from '../support/factories.js';
import { FAILED_BEFORE_COMMIT, failingBeforeCommit, realOutbox } from '../support/outbox.js';

const confirmUrl = (t: string) => `https://cert.example.ac.jp/mail/confirm#token=${t}`;

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'no error';
};

describe('mail verification', () => {
  let stores: Stores & { dataDir: string };
  let store: Store;
  let clock: TestClock;
  let outbox: OutboxMailer;
  let mail: MailService;
  let accounts: AccountService;
  let student: Account;

  beforeEach(async () => {
    clock = new TestClock();
    stores = await tempStores(clock);
    store = stores.store;
    outbox = new OutboxMailer();
    accounts = createAccountService({ store, clock, random });
    mail = createMailService({ store, transaction: (work) => stores.transaction(work), mailer: outbox, clock, random, confirmUrl });
    student = await accounts.recordLogin(identity(), 'ja');
  });
  afterEach(async () => {
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });

  it('mails a one-time URL with a 256-bit token of which only a hash is stored', async () => {
    const sent = await mail.requestRegistration(student, 'hanako@example.jp', 'hanako@example.jp');
    expect(sent.sentTo).toBe('hanako@example.jp');
    expect(new Date(sent.expiresAt).getTime() - clock.now().getTime()).toBe(30 * 60 * 1000);
    const token = tokenFromMail(outbox.last().text);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(await store.tokens.get(token)).toBeNull();
    expect((await store.tokens.get(hashSecret(token)))?.mail).toBe('hanako@example.jp');
  });

  it('sets the address when the link is used, once', async () => {
    await mail.requestRegistration(student, 'hanako@example.jp', 'hanako@example.jp');
    const token = tokenFromMail(outbox.last().text);
    const result = await mail.confirm(token);
    expect(result).toMatchObject({ purpose: 'register', mail: 'hanako@example.jp' });
    expect((await accounts.get(student.id)).mail).toBe('hanako@example.jp');
    expect(await codeOf(mail.confirm(token))).toBe('token.used');
  });

  it('refuses a link after 30 minutes, and an unknown one', async () => {
    await mail.requestRegistration(student, 'hanako@example.jp', 'hanako@example.jp');
    const token = tokenFromMail(outbox.last().text);
    clock.advance(30 * 60);
    expect(await codeOf(mail.confirm(token))).toBe('token.expired');
    expect(await codeOf(mail.confirm(random.token(32)))).toBe('token.unknown');
    expect((await accounts.get(student.id)).mail).toBeNull();
  });

  it('requires the two fields to match', async () => {
    const err = await mail.requestRegistration(student, 'a@example.jp', 'b@example.jp').catch((e: DomainError) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).fields).toEqual({ mailConfirm: 'mail.mismatch' });
    expect(outbox.sent).toHaveLength(0);
  });

  it('limits resending to one mail a minute and five an hour', async () => {
    await mail.requestRegistration(student, 'a@example.jp', 'a@example.jp');
    clock.advance(20);
    const err = await mail.requestRegistration(student, 'a@example.jp', 'a@example.jp').catch((e: DomainError) => e);
    expect((err as DomainError).code).toBe('mail.rateLimited');
    expect((err as DomainError).params.seconds).toBe(40);
    for (let i = 0; i < 4; i += 1) {
      clock.advance(61);
      await mail.requestRegistration(student, 'a@example.jp', 'a@example.jp');
    }
    clock.advance(61);
    expect(await codeOf(mail.requestRegistration(student, 'a@example.jp', 'a@example.jp'))).toBe('mail.rateLimited');
    clock.advance(3600);
    expect(await codeOf(mail.requestRegistration(student, 'a@example.jp', 'a@example.jp'))).toBe('no error');
  });

  it('writes mails in the account language', async () => {
    const english = await accounts.recordLogin(identity(), 'en');
    await mail.requestRegistration(english, 'john@example.jp', 'john@example.jp');
    expect(outbox.last().subject).toMatch(/Confirm your mail address/);
    expect(outbox.last().text).toMatch(/Due date for the URL: 30 minutes/);
    await mail.requestRegistration(student, 'hanako@example.jp', 'hanako@example.jp');
    expect(outbox.last().subject).toMatch(/メールアドレス設定の確認/);
    expect(outbox.last().html).toContain('<a href="https://cert.example.ac.jp/mail/confirm#token=');
  });

  it('changes the address and tells the old one', async () => {
    await mail.requestRegistration(student, 'old@example.jp', 'old@example.jp');
    await mail.confirm(tokenFromMail(outbox.last().text));
    student = await accounts.get(student.id);
    expect(await codeOf(mail.requestChange(student, 'OLD@example.jp', 'OLD@example.jp'))).toBe('mail.sameAsCurrent');
    await mail.requestChange(student, 'new@example.jp', 'new@example.jp');
    expect(outbox.last().to).toBe('new@example.jp');
    expect(await mail.pending(student)).toMatchObject({ mail: 'new@example.jp' });
    const result = await mail.confirm(tokenFromMail(outbox.last().text));
    expect(result.purpose).toBe('change');
    expect((await accounts.get(student.id)).mail).toBe('new@example.jp');
    const notice = outbox.last();
    expect(notice.to).toBe('old@example.jp');
    expect(notice.subject).toMatch(/メールアドレスが変更されました/);
    expect(notice.text).toContain('ne***@example.jp');
  });
});

describe('mail change of a graduate account', () => {
  it('also changes the address the graduate signs in with, unless another graduate uses it', async () => {
    const clock = new TestClock();
    const stores = await tempStores(clock);
    const store = stores.store;
    const outbox = new OutboxMailer();
    const mail = createMailService({ store, transaction: (work) => stores.transaction(work), mailer: outbox, clock, random, confirmUrl });
    const graduate = account({ kind: 'graduate', active: true, idpEntityId: 'urn:shomei:graduate', userId: 'old@example.jp', mail: 'old@example.jp' });
    const other = account({ kind: 'graduate', active: true, idpEntityId: 'urn:shomei:graduate', userId: 'taken@example.jp', mail: 'taken@example.jp' });
    await store.accounts.insert(graduate);
    await store.accounts.insert(other);
    expect(await codeOf(mail.requestChange(graduate, 'Taken@example.jp', 'Taken@example.jp'))).toBe('mail.alreadyRegistered');
    await mail.requestChange(graduate, 'New@Example.jp', 'New@Example.jp');
    await mail.confirm(tokenFromMail(outbox.last().text));
    expect(await store.accounts.findByIdentity('urn:shomei:graduate', 'new@example.jp')).toMatchObject({ id: graduate.id, mail: 'New@Example.jp' });
    expect(await store.accounts.findByIdentity('urn:shomei:graduate', 'old@example.jp')).toBeNull();
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });
});

describe('mail verification mails, each in the transaction of its change', () => {
  let stores: Stores & { dataDir: string };
  let clock: TestClock;
  let student: Account;
  beforeEach(async () => {
    clock = new TestClock();
    stores = await tempStores(clock);
    student = await createAccountService({ store: stores.store, clock, random }).recordLogin(identity(), 'ja');
  });
  afterEach(async () => {
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });
  const serviceOver = (transaction: Stores['transaction']) => {
    const outbox = realOutbox(stores, clock);
    return { outbox, mail: createMailService({ store: stores.store, transaction, mailer: outbox.mailer, clock, random, confirmUrl }) };
  };

  it('the confirmation link: none, and no token, when the transaction fails; exactly one when it commits', async () => {
    const failing = serviceOver(failingBeforeCommit((work) => stores.transaction(work)));
    await expect(failing.mail.requestRegistration(student, 'hanako@example.jp', 'hanako@example.jp')).rejects.toThrow(FAILED_BEFORE_COMMIT);
    expect(await failing.outbox.mails()).toEqual([]);
    expect(await stores.store.tokens.latest(student.id, 'mail.register')).toBeNull();

    const { mail, outbox } = serviceOver((work) => stores.transaction(work));
    await mail.requestRegistration(student, 'hanako@example.jp', 'hanako@example.jp');
    const mails = await outbox.mails();
    expect(mails.map((m) => m.to)).toEqual(['hanako@example.jp']);
    await mail.confirm(tokenFromMail(mails[0]!.text));
    expect((await stores.store.accounts.get(student.id))?.mail).toBe('hanako@example.jp');
  });

  it('the notice to the replaced address: none, and no change, when the transaction fails; exactly one when it commits', async () => {
    const { mail, outbox } = serviceOver((work) => stores.transaction(work));
    await mail.requestRegistration(student, 'old@example.jp', 'old@example.jp');
    await mail.confirm(tokenFromMail((await outbox.mails())[0]!.text));
    await mail.requestChange((await stores.store.accounts.get(student.id))!, 'new@example.jp', 'new@example.jp');
    const link = tokenFromMail((await outbox.mails())[1]!.text);

    const failing = serviceOver(failingBeforeCommit((work) => stores.transaction(work)));
    await expect(failing.mail.confirm(link)).rejects.toThrow(FAILED_BEFORE_COMMIT);
    expect((await outbox.mails()).map((m) => m.to)).toEqual(['old@example.jp', 'new@example.jp']);
    expect((await stores.store.accounts.get(student.id))?.mail).toBe('old@example.jp');

    // The link was not used up by the failed attempt.
    await mail.confirm(link);
    expect((await outbox.mails()).map((m) => m.to)).toEqual(['old@example.jp', 'new@example.jp', 'old@example.jp']);
    expect((await stores.store.accounts.get(student.id))?.mail).toBe('new@example.jp');
  });
});

describe('accounts', () => {
  let store: LowdbStore;
  let clock: TestClock;
  let accounts: AccountService;
  beforeEach(async () => {
    store = await tempStore();
    clock = new TestClock();
    accounts = createAccountService({ store, clock, random });
  });
  afterEach(() => store.close());

  it('are keyed by IdP and user: the same user at another IdP is another account', async () => {
    const who = identity();
    const a = await accounts.recordLogin(who, 'ja');
    const again = await accounts.recordLogin({ ...who, displayName: 'New name' }, 'en');
    const elsewhere = await accounts.recordLogin({ ...who, idpEntityId: 'https://other-idp.example/' }, 'ja');
    expect(again.id).toBe(a.id);
    expect(again.displayName).toBe('New name');
    expect(again.language).toBe('ja');
    expect(elsewhere.id).not.toBe(a.id);
  });

  it('remember the previous login, not the current one', async () => {
    const who = identity();
    const first = await accounts.recordLogin(who, 'ja');
    expect(first.previousLoginAt).toBeNull();
    const firstAt = first.lastLoginAt;
    clock.advance(3600);
    const second = await accounts.recordLogin(who, 'ja');
    expect(second.previousLoginAt).toBe(firstAt);
    expect(second.lastLoginAt).toBe(clock.now().toISOString());
  });
});
