import type { Application } from '../applications/model.js';
import { parseApplicationForm } from '../../shared/application-form.js';
import type { AuditEntry, AuditLog } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Account, Language, MailMessage, TokenPurpose } from '../model.js';
import { hashPassword, needsRehash, verifyPassword } from '../passwords.js';
import { RateLimit, type RateLimitRule } from '../rate-limits.js';
import type { TransactionStores } from '../stores.js';
import { createLoginThrottle, type LoginThrottle } from '../staff/throttle.js';
import { accountExistsMail, noAccountMail, passwordChangedMail, registrationLinkMail, resetLinkMail } from './mails.js';
import { GRADUATE_IDP, tokenSubject, type GraduateCredentials } from './model.js';
import { checkSecrets, normaliseMail } from '../../shared/graduate-secrets.js';
import {
  GRADUATE_IP_THROTTLE,
  GRADUATE_MAIL_THROTTLE,
  type GraduateAccess,
  type GraduateAccessDeps,
  type RegistrationInput,
  type ResetInput,
} from './access-api.js';

/** Mails to addresses typed by anonymous visitors (apply, forgot): at most 30 per client address per hour. */
const ANONYMOUS_MAIL_LIMIT: RateLimitRule = { limit: 30, windowSeconds: 3600 };

export function createGraduateAccess(deps: GraduateAccessDeps): GraduateAccess {
  const mailThrottle: LoginThrottle = createLoginThrottle({
    store: deps.loginThrottles,
    clock: deps.clock,
    name: 'graduate-address',
    policy: deps.throttles?.mail ?? GRADUATE_MAIL_THROTTLE,
  });
  const ipThrottle: LoginThrottle = createLoginThrottle({
    store: deps.loginThrottles,
    clock: deps.clock,
    name: 'graduate-client',
    policy: deps.throttles?.ip ?? GRADUATE_IP_THROTTLE,
  });
  /** Mails sent for apply and forgot, per client address. */
  const anonymousMails: RateLimit = new RateLimit(deps.rateLimits, deps.clock, 'graduate-mail', ANONYMOUS_MAIL_LIMIT, 'mail.rateLimited');

  // ---- Registration ----------------------------------------------------------------------

  async function apply(mail: string, mailConfirm: string, language: Language, client: string): Promise<{ sentTo: string; expiresAt: string }> {
    const address = checkPair(mail, mailConfirm);
    const key = normaliseMail(address);
    await anonymousMails.hit(client);
    const existing = await unfinishedOr(key);
    const { urls } = deps;
    const expiresAt = await linkAndMail(tokenSubject(key), 'graduate.register', key, (token, expiresAt) =>
      existing === 'registered'
        ? accountExistsMail({ to: address, language, forgotUrl: urls.forgot, loginUrl: urls.login })
        : registrationLinkMail({ to: address, language, url: urls.register(token), expiresAt, validMinutes: deps.tokens.policy.tokenMinutes }),
    );
    return { sentTo: address, expiresAt: expiresAt.toISOString() };
  }

  async function checkRegistration(token: string): Promise<{ mail: string; expiresAt: string }> {
    const record = await deps.tokens.peek(token, 'graduate.register');
    return { mail: record.mail, expiresAt: record.expiresAt };
  }

  async function register(input: RegistrationInput): Promise<{ mail: string; application: Application }> {
    const { clock, random, tokens } = deps;
    const link = await tokens.peek(input.token, 'graduate.register');
    const mail = link.mail;

    const parsed = parseApplicationForm(input.form, { catalogue: input.catalogue, now: clock.now() });
    const fields: Record<string, string> = { ...checkSecrets(input, mail) };
    if (!parsed.ok) for (const [field, code] of Object.entries(parsed.fields)) fields[`form.${field}`] = code;
    if (Object.keys(fields).length > 0 || !parsed.ok) {
      throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
    }
    const existing = await unfinishedOr(mail);
    if (existing === 'registered') throw new DomainError('graduate.alreadyRegistered');

    const [passwordHash, secondPasswordHash] = await Promise.all([hashPassword(input.password), hashPassword(input.secondPassword)]);
    const now = clock.now().toISOString();
    const form = parsed.form;
    const application = await deps.transaction(async (tx) => {
      await tokens.within(tx.store).consume(input.token, 'graduate.register');
      let account: Account;
      if (existing) {
        // A registration stored before registrations were one transaction, without its application: finish it now.
        const updated = await tx.store.accounts.update(existing.id, {
          nameKanji: form.nameKanji,
          nameKana: form.nameKana,
          nameRoman: form.nameRoman,
          language: input.language,
        });
        if (!updated) throw new DomainError('account.notFound');
        account = updated;
      } else {
        account = {
          id: random.id(),
          kind: 'graduate',
          active: false,
          idpEntityId: GRADUATE_IDP,
          userId: mail,
          mail,
          idpMail: null,
          displayName: form.nameKanji,
          nameKanji: form.nameKanji,
          nameKana: form.nameKana,
          nameRoman: form.nameRoman,
          studentIds: [],
          affiliation: null,
          language: input.language,
          createdAt: now,
          lastLoginAt: null,
          previousLoginAt: null,
        };
        if (!(await tx.store.accounts.insert(account))) throw new DomainError('graduate.alreadyRegistered');
      }
      const secrets = { passwordHash, secondPasswordHash, passwordChangedAt: now, secondPasswordChangedAt: now };
      if (!(await tx.graduateCredentials.insert({ accountId: account.id, createdAt: now, ...secrets }))) {
        await tx.graduateCredentials.update(account.id, secrets);
      }
      await record(tx.audit, account, 'graduate.registered', { type: 'account', id: account.id }, null, { mail, kind: 'graduate', active: false });
      return deps.applications.submit({ kind: 'graduate', accountId: account.id, form, mail, language: input.language }, tx);
    });
    return { mail, application };
  }

  // ---- Sign-in ---------------------------------------------------------------------------

  async function login(input: { mail: string; password: string; secondPassword: string; client: string }): Promise<Account> {
    const { store, credentials, clock } = deps;
    const key = normaliseMail(input.mail);

    const ip = await ipThrottle.check(input.client);
    if (!ip.allowed) throw new DomainError('graduate.tooManyAttempts', { seconds: ip.retryAfterSeconds });
    const byMail = await mailThrottle.check(key);
    if (!byMail.allowed) {
      throw byMail.reason === 'locked'
        ? new DomainError('graduate.locked', { minutes: Math.ceil(byMail.retryAfterSeconds / 60) })
        : new DomainError('graduate.tooManyAttempts', { seconds: byMail.retryAfterSeconds });
    }

    const found = await store.accounts.findByIdentity(GRADUATE_IDP, key);
    const account = found?.kind === 'graduate' ? found : null;
    const stored = account ? await credentials.get(account.id) : null;
    // Both, always: a malformed or missing hash costs the same work as a real one.
    const [passwordOk, secondOk] = await Promise.all([
      verifyPassword(input.password, stored?.passwordHash ?? ''),
      verifyPassword(input.secondPassword, stored?.secondPasswordHash ?? ''),
    ]);

    if (!account || !stored || !passwordOk || !secondOk) {
      await ipThrottle.fail(input.client);
      if (await mailThrottle.fail(key)) {
        const minutes = Math.ceil((deps.throttles?.mail ?? GRADUATE_MAIL_THROTTLE).lockSeconds / 60);
        await deps.audit.append({
          at: clock.now().toISOString(),
          actor: { type: 'system', id: 'graduate-login', name: 'graduate sign-in' },
          action: 'graduate.locked',
          target: { type: 'graduateLogin', id: key },
          before: null,
          after: { accountId: account?.id ?? null, minutes },
          note: null,
        });
        throw new DomainError('graduate.locked', { minutes });
      }
      throw new DomainError('graduate.loginFailed');
    }
    await mailThrottle.succeed(key);

    if (account.active === false) {
      const latest = newest(await deps.applications.listForAccount(account.id));
      if (latest?.status === 'rejected') throw new DomainError('graduate.rejected');
      if (latest?.status !== 'resubmit') throw new DomainError('graduate.notApproved');
    }

    await rehashIfNeeded(stored, input.password, input.secondPassword);
    const now = clock.now().toISOString();
    return deps.transaction(async (tx) => {
      const signedIn = await tx.store.accounts.update(account.id, { previousLoginAt: account.lastLoginAt, lastLoginAt: now });
      if (!signedIn) throw new DomainError('graduate.loginFailed');
      await record(tx.audit, signedIn, 'graduate.signedIn', { type: 'account', id: account.id }, null, null);
      return signedIn;
    });
  }

  /** Issues a one-time link and enqueues the mail `compose` makes of it, together; wakes the sender after the commit. */
  async function linkAndMail(subject: string, purpose: TokenPurpose, mail: string, compose: (token: string, expiresAt: Date) => MailMessage): Promise<Date> {
    const expiresAt = await deps.transaction(async (tx) => {
      const { token, expiresAt } = await deps.tokens.within(tx.store).issue(subject, purpose, mail);
      await deps.mailer.within(tx).send(compose(token, expiresAt));
      return expiresAt;
    });
    deps.mailer.wake();
    return expiresAt;
  }

  // ---- Password reset --------------------------------------------------------------------

  async function forgot(mail: string, language: Language, client: string): Promise<{ sentTo: string; expiresAt: string }> {
    const address = mail.trim();
    const key = normaliseMail(address);
    await anonymousMails.hit(client);
    const found = await deps.store.accounts.findByIdentity(GRADUATE_IDP, key);
    const account = found?.kind === 'graduate' ? found : null;
    const { urls } = deps;
    const expiresAt = await linkAndMail(tokenSubject(key), 'graduate.reset', key, (token, expiresAt) =>
      account
        ? resetLinkMail({
            to: account.mail ?? key,
            language: account.language,
            url: urls.reset(token),
            expiresAt,
            validMinutes: deps.tokens.policy.tokenMinutes,
          })
        : noAccountMail({ to: address, language, applyUrl: urls.apply }),
    );
    return { sentTo: address, expiresAt: expiresAt.toISOString() };
  }

  async function checkReset(token: string): Promise<{ mail: string; expiresAt: string }> {
    const record = await deps.tokens.peek(token, 'graduate.reset');
    return { mail: record.mail, expiresAt: record.expiresAt };
  }

  async function reset(input: ResetInput): Promise<{ mail: string }> {
    const { store, credentials, tokens, clock } = deps;
    const link = await tokens.peek(input.token, 'graduate.reset');
    const found = await store.accounts.findByIdentity(GRADUATE_IDP, link.mail);
    const stored = found?.kind === 'graduate' ? await credentials.get(found.id) : null;
    if (!found || !stored) throw new DomainError('token.unknown');

    const fields: Record<string, string> = { ...checkSecrets(input, link.mail, { secondOptional: true }) };
    const newSecond = input.secondPassword !== '' || input.secondPasswordConfirm !== '';
    if (!fields.password && !newSecond && (await verifyPassword(input.password, stored.secondPasswordHash))) {
      fields.password = 'password.sameAsSecond';
    }
    if (Object.keys(fields).length > 0) throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);

    const [passwordHash, secondPasswordHash] = await Promise.all([
      hashPassword(input.password),
      newSecond ? hashPassword(input.secondPassword) : Promise.resolve(stored.secondPasswordHash),
    ]);
    const now = clock.now();
    await deps.transaction(async (tx) => {
      await tokens.within(tx.store).consume(input.token, 'graduate.reset');
      await tx.graduateCredentials.update(found.id, {
        passwordHash,
        secondPasswordHash,
        passwordChangedAt: now.toISOString(),
        ...(newSecond ? { secondPasswordChangedAt: now.toISOString() } : {}),
      });
      await tx.store.sessions.deleteForAccount(found.id);
      await record(tx.audit, found, 'graduate.passwordReset', { type: 'account', id: found.id }, null, { secondPasswordChanged: newSecond });
      await deps.mailer
        .within(tx)
        .send(passwordChangedMail({ to: found.mail ?? link.mail, language: found.language, at: now, secondPasswordChanged: newSecond }));
    });
    deps.mailer.wake();
    await mailThrottle.succeed(link.mail);
    return { mail: found.mail ?? link.mail };
  }

  // ---- Approval --------------------------------------------------------------------------

  async function onDecided(application: Application, tx: Pick<TransactionStores, 'store' | 'audit'>): Promise<void> {
    if (application.kind !== 'graduate' || application.status !== 'approved') return;
    const before = await tx.store.accounts.get(application.accountId);
    if (!before || before.kind !== 'graduate') return;
    // Throwing undoes the decision (ApplicationService.decide): staff see why and decide again.
    const added = await tx.store.accounts.addStudentId(before.id, application.form.studentId);
    if (!added.ok) {
      throw added.reason === 'taken'
        ? new DomainError('application.studentIdTaken', { studentId: application.form.studentId })
        : new DomainError('account.notFound');
    }
    if (before.active === false) {
      const after = await tx.store.accounts.update(before.id, { active: true });
      await tx.audit.append({
        at: deps.clock.now().toISOString(),
        actor: { type: 'system', id: 'applications', name: 'application approval' },
        action: 'account.activated',
        target: { type: 'account', id: before.id },
        before: { active: false, studentIds: before.studentIds },
        after: { active: after?.active ?? true, studentIds: after?.studentIds ?? [] },
        note: `application ${application.id}`,
      });
    }
  }

  // ---- Helpers ---------------------------------------------------------------------------

  /**
   * 'registered' when the address has a graduate account; the account when it is an unfinished
   * registration (inactive, no application stored); null when the address is free.
   */
  async function unfinishedOr(key: string): Promise<Account | 'registered' | null> {
    const found = await deps.store.accounts.findByIdentity(GRADUATE_IDP, key);
    if (!found) return null;
    if (found.active === false && (await deps.applications.listForAccount(found.id)).length === 0) return found;
    return 'registered';
  }

  async function rehashIfNeeded(stored: GraduateCredentials, password: string, secondPassword: string): Promise<void> {
    const patch: Partial<GraduateCredentials> = {};
    if (needsRehash(stored.passwordHash)) patch.passwordHash = await hashPassword(password);
    if (needsRehash(stored.secondPasswordHash)) patch.secondPasswordHash = await hashPassword(secondPassword);
    if (Object.keys(patch).length > 0) await deps.credentials.update(stored.accountId, patch);
  }

  async function record(
    audit: Pick<AuditLog, 'append'>,
    account: Account,
    action: string,
    target: AuditEntry['target'],
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await audit.append({
      at: deps.clock.now().toISOString(),
      actor: { type: 'graduate', id: account.id, name: account.mail ?? account.userId },
      action,
      target,
      before,
      after,
      note: null,
    });
  }

  return { apply, checkRegistration, register, login, forgot, checkReset, reset, onDecided };
}

function checkPair(mail: string, mailConfirm: string): string {
  const address = mail.trim();
  if (address.toLowerCase() !== mailConfirm.trim().toLowerCase()) {
    throw new DomainError('validation.failed', {}, 'mail and confirmation differ', { mailConfirm: 'mail.mismatch' });
  }
  return address;
}

const newest = (applications: Application[]): Application | null => [...applications].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
