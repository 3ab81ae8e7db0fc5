import { DomainError } from './errors.js';
import type { Account, Language, SamlIdentity } from './model.js';
import type { Clock, Random, Store } from './ports.js';

/** Accounts are keyed by (IdP entity ID, user identifier); attributes are refreshed at each login. */
export interface AccountService {
  /** The account, or null when there is none (a session may outlive its account). */
  find(id: string): Promise<Account | null>;
  get(id: string): Promise<Account>;
  /**
   * Records a verified login: creates the account on first sight (in `language`), refreshes
   * what the IdP asserts, and moves the last login to "previous login".
   */
  recordLogin(identity: SamlIdentity, language: Language): Promise<Account>;
  /**
   * Adds a student ID to the account (an approved 利用申請), refusing one that another account
   * holds (`application.studentIdTaken`). Returns the account and whether the ID was new to it.
   */
  addStudentId(accountId: string, studentId: string): Promise<{ account: Account; added: boolean }>;
  /** The accounts holding this student ID (normally at most one). */
  findByStudentId(studentId: string): Promise<Account[]>;
  setLanguage(accountId: string, language: Language): Promise<Account>;
}

export interface AccountServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
}

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { store, clock, random } = deps;

  async function recordLogin(identity: SamlIdentity, language: Language): Promise<Account> {
    const now = clock.now().toISOString();
    const fromIdp = {
      idpMail: identity.mail,
      displayName: identity.displayName ?? identity.nameKanji ?? identity.nameRoman,
      nameKanji: identity.nameKanji,
      nameKana: identity.nameKana,
      nameRoman: identity.nameRoman,
      affiliation: identity.affiliation,
    };
    const existing = await store.accounts.findByIdentity(identity.idpEntityId, identity.userId);
    if (existing) {
      const studentIds =
        identity.studentId && !existing.studentIds.includes(identity.studentId) ? [identity.studentId, ...existing.studentIds] : existing.studentIds;
      const updated = await store.accounts.update(existing.id, {
        ...fromIdp,
        studentIds,
        previousLoginAt: existing.lastLoginAt,
        lastLoginAt: now,
      });
      if (!updated) throw new DomainError('account.notFound');
      return updated;
    }
    const account: Account = {
      id: random.id(),
      idpEntityId: identity.idpEntityId,
      userId: identity.userId,
      mail: null,
      ...fromIdp,
      studentIds: identity.studentId ? [identity.studentId] : [],
      language,
      createdAt: now,
      lastLoginAt: now,
      previousLoginAt: null,
    };
    if (!(await store.accounts.insert(account))) {
      // Two first logins raced: the other one created the account.
      return recordLogin(identity, language);
    }
    return account;
  }

  return {
    find: (id) => store.accounts.get(id),
    async get(id) {
      const account = await store.accounts.get(id);
      if (!account) throw new DomainError('account.notFound');
      return account;
    },
    recordLogin,
    addStudentId: (accountId, studentId) => addStudentId(store.accounts, accountId, studentId),
    findByStudentId: (studentId) => store.accounts.findByStudentId(studentId),
    async setLanguage(accountId, language) {
      const updated = await store.accounts.update(accountId, { language });
      if (!updated) throw new DomainError('account.notFound');
      return updated;
    },
  };
}

/** AccountService.addStudentId over the accounts port given (a transaction's, say). */
export async function addStudentId(accounts: Store['accounts'], accountId: string, studentId: string): Promise<{ account: Account; added: boolean }> {
  const result = await accounts.addStudentId(accountId, studentId);
  if (result.ok) return { account: result.account, added: result.added };
  if (result.reason === 'taken') throw new DomainError('application.studentIdTaken', { studentId });
  throw new DomainError('account.notFound');
}
