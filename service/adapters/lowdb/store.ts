import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Account, OneTimeToken, Session, TokenPurpose } from '../../domain/model.js';
import type { Store } from '../../domain/ports.js';
import { copy, sameJson } from './records.js';
import { Collection } from './collection.js';

interface SeenAssertion {
  id: string;
  expiresAt: string;
}

export const COLLECTION_FILES = {
  accounts: 'accounts.json',
  sessions: 'sessions.json',
  tokens: 'tokens.json',
  samlAssertions: 'saml-assertions.json',
} as const;

export type CollectionName = keyof typeof COLLECTION_FILES;

export interface LowdbStoreOptions {
  /** Time for the periodic prune (tests pin it). */
  now?: () => Date;
  /** How often expired records are pruned; 0 disables the timer. Default 10 minutes. */
  pruneIntervalMs?: number;
  /** The longest idle timeout of a session: the periodic prune also drops sessions idle longer. */
  sessionIdleSeconds?: number;
  /** Where a failed periodic prune is reported. Default: console.error. */
  onPruneError?: (err: unknown) => void;
  /** Runs the periodic prune as a unit of work of the family (unit-of-work.ts); default: as is. */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface LowdbStore extends Store {
  readonly dataDir: string;
  /** Number of records per collection (diagnostics, tests, benchmarks). */
  counts(): Record<CollectionName, number>;
  /** Resolves once every write requested so far is durable. */
  flush(): Promise<void>;
}

const TOKEN_GRACE_MS = 24 * 3600 * 1000;
const DEFAULT_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

const time = (iso: string): number => Date.parse(iso);

const identityKey = (idpEntityId: string, userId: string): string => JSON.stringify([idpEntityId, userId]);

/**
 * The Store over lowdb: one JSON file per collection in `dataDir`, kept in memory after load.
 * Each operation checks and changes memory in one synchronous section, then awaits one durable
 * write of that collection; its promise resolves only once the change is on disk. A concurrent
 * operation may see a change whose write is still in flight (it is the next state on disk either
 * way); an operation that changes nothing writes nothing, but still waits for such a write.
 * Should a write fail, the caller gets the error and the change stays in memory, to be written
 * with the next change of that collection.
 *
 * One process per data directory: lowdb has no cross-process locking.
 */
export async function openLowdbStore(dataDir: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const file = (name: CollectionName) => path.join(dir, COLLECTION_FILES[name]);
  const [accounts, sessions, tokens, samlAssertions] = await Promise.all([
    Collection.open<Account>(file('accounts'), (a) => a.id),
    Collection.open<Session>(file('sessions'), (s) => s.idHash),
    Collection.open<OneTimeToken>(file('tokens'), (t) => t.hash),
    Collection.open<SeenAssertion>(file('samlAssertions'), (a) => a.id),
  ]);
  // Pending AuthnRequests are kept by the browser (domain/login.ts) and a sign-in completes in the
  // ACS itself: older versions' files for them go.
  await Promise.all(['saml-requests.json', 'saml-pending-logins.json'].map((name) => rm(path.join(dir, name), { force: true })));
  const all = { accounts, sessions, tokens, samlAssertions };

  const byIdentity = new Map<string, string>();
  const indexAccounts = () => {
    byIdentity.clear();
    for (const a of accounts.records.values()) byIdentity.set(identityKey(a.idpEntityId, a.userId), a.id);
  };
  indexAccounts();
  accounts.onReload(indexAccounts);

  // Token hashes by account, in insertion order: every signed-in page asks for an account's
  // latest tokens, which must not cost a walk over every account's tokens.
  const tokensByAccount = new Map<string, string[]>();
  const indexToken = (t: OneTimeToken) => {
    const hashes = tokensByAccount.get(t.accountId);
    if (hashes) hashes.push(t.hash);
    else tokensByAccount.set(t.accountId, [t.hash]);
  };
  const indexTokens = () => {
    tokensByAccount.clear();
    for (const t of tokens.records.values()) indexToken(t);
  };
  indexTokens();
  tokens.onReload(indexTokens);
  /** The account's stored tokens in insertion order (a hash whose token is gone is skipped). */
  function* tokensOf(accountId: string): Generator<OneTimeToken> {
    for (const hash of tokensByAccount.get(accountId) ?? []) {
      const t = tokens.records.get(hash);
      if (t) yield t;
    }
  }

  let closed = false;
  const live = () => {
    if (closed) throw new Error('The store is closed.');
  };

  /** Adds a record that must be new (a duplicate key is a bug: never overwrite a used token). */
  function insertNew<R extends object>(collection: Collection<R>, record: R, what: string): Promise<void> {
    const key = collection.keyOf(record);
    if (collection.records.has(key)) throw new Error(`${what} ${key} exists already`);
    collection.records.set(key, copy(record));
    return collection.commit();
  }

  async function prune(now: string, sessionsLastSeenBy?: string): Promise<void> {
    live();
    const t = time(now);
    const idleBy = sessionsLastSeenBy === undefined ? -Infinity : time(sessionsLastSeenBy);
    const prunedTokens = tokens.deleteWhere((k) => time(k.expiresAt) + TOKEN_GRACE_MS < t);
    if (prunedTokens > 0) indexTokens();
    const removed: [{ commit(): Promise<void> }, number][] = [
      [sessions, sessions.deleteWhere((s) => time(s.expiresAt) <= t || time(s.lastSeenAt) <= idleBy)],
      [tokens, prunedTokens],
      [samlAssertions, samlAssertions.deleteWhere((a) => time(a.expiresAt) <= t)],
    ];
    const changed = removed.filter(([, n]) => n > 0).map(([c]) => c);
    await Promise.all(changed.map((c) => c.commit()));
  }

  const now = options.now ?? (() => new Date());
  const interval = options.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS;
  const onPruneError = options.onPruneError ?? ((err) => console.error('Shomei store: pruning expired records failed:', err));
  const exclusive = options.exclusive ?? ((work) => work());
  const timer =
    interval > 0
      ? setInterval(() => {
          const at = now();
          const idleBy = options.sessionIdleSeconds === undefined ? undefined : new Date(at.getTime() - options.sessionIdleSeconds * 1000).toISOString();
          exclusive(() => prune(at.toISOString(), idleBy)).catch(onPruneError);
        }, interval).unref()
      : null;

  const store: LowdbStore = {
    dataDir: dir,

    accounts: {
      async get(id) {
        live();
        const a = accounts.records.get(id);
        return a ? copy(a) : null;
      },
      async findByIdentity(idpEntityId, userId) {
        live();
        const id = byIdentity.get(identityKey(idpEntityId, userId));
        const a = id === undefined ? undefined : accounts.records.get(id);
        return a ? copy(a) : null;
      },
      async insert(account) {
        live();
        const key = identityKey(account.idpEntityId, account.userId);
        if (byIdentity.has(key)) return false;
        if (accounts.records.has(account.id)) throw new Error(`account ${account.id} exists already`);
        accounts.records.set(account.id, copy(account));
        byIdentity.set(key, account.id);
        await accounts.commit();
        return true;
      },
      async update(id, patch) {
        live();
        const before = accounts.records.get(id);
        if (!before) return null;
        const after: Account = { ...before };
        for (const [k, v] of Object.entries(patch)) {
          // An undefined value means "not given" (and must not drop the field from the file).
          if (v !== undefined && k !== 'id') (after as unknown as Record<string, unknown>)[k] = copy(v);
        }
        // Nothing to write; still wait for an in-flight write that may have made this state.
        if (sameJson(before, after)) return accounts.flush().then(() => copy(before));
        const oldKey = identityKey(before.idpEntityId, before.userId);
        const newKey = identityKey(after.idpEntityId, after.userId);
        if (newKey !== oldKey) {
          if (byIdentity.has(newKey)) throw new Error(`another account has the identity ${newKey}`);
          byIdentity.delete(oldKey);
          byIdentity.set(newKey, id);
        }
        accounts.records.set(id, after);
        await accounts.commit();
        return copy(after);
      },
      async findByStudentId(studentId) {
        live();
        return [...accounts.records.values()].filter((a) => a.studentIds.includes(studentId)).map(copy);
      },
      async addStudentId(id, studentId) {
        live();
        const account = accounts.records.get(id);
        if (!account) return { ok: false, reason: 'notFound' };
        for (const other of accounts.records.values()) {
          if (other.id !== id && other.studentIds.includes(studentId)) return { ok: false, reason: 'taken', holderId: other.id };
        }
        if (account.studentIds.includes(studentId)) return accounts.flush().then(() => ({ ok: true, account: copy(account), added: false }));
        const after: Account = { ...account, studentIds: [...account.studentIds, studentId] };
        accounts.records.set(id, after);
        await accounts.commit();
        return { ok: true, account: copy(after), added: true };
      },
    },

    sessions: {
      async get(idHash) {
        live();
        const s = sessions.records.get(idHash);
        return s ? copy(s) : null;
      },
      async put(session) {
        live();
        const before = sessions.records.get(session.idHash);
        if (before && sameJson(before, session)) return sessions.flush();
        sessions.records.set(session.idHash, copy(session));
        await sessions.commit();
      },
      async delete(idHash) {
        live();
        await (sessions.records.delete(idHash) ? sessions.commit() : sessions.flush());
      },
      async deleteForAccount(accountId) {
        live();
        const n = sessions.deleteWhere((s) => s.accountId === accountId);
        await (n > 0 ? sessions.commit() : sessions.flush());
        return n;
      },
      async deleteForSaml(ref) {
        live();
        const n = sessions.deleteWhere(
          (s) =>
            s.saml !== null &&
            s.saml.idpEntityId === ref.idpEntityId &&
            s.saml.nameId === ref.nameId &&
            (ref.sessionIndex === null || s.saml.sessionIndex === ref.sessionIndex),
        );
        await (n > 0 ? sessions.commit() : sessions.flush());
        return n;
      },
    },

    tokens: {
      async insert(token) {
        live();
        const done = insertNew(tokens, token, 'token');
        indexToken(token);
        await done;
      },
      async get(hash) {
        live();
        const t = tokens.records.get(hash);
        return t ? copy(t) : null;
      },
      async consume(hash, purpose, now) {
        live();
        const t = tokens.records.get(hash);
        const purposes: TokenPurpose[] = Array.isArray(purpose) ? purpose : [purpose];
        if (!t || !purposes.includes(t.purpose)) return { ok: false, reason: 'unknown' };
        if (t.usedAt !== null) return { ok: false, reason: 'used' };
        if (time(now) >= time(t.expiresAt)) return { ok: false, reason: 'expired' };
        const before = copy(t);
        tokens.records.set(hash, { ...t, usedAt: now });
        await tokens.commit();
        return { ok: true, token: before };
      },
      async countSince(accountId, purpose, since) {
        live();
        const from = time(since);
        let n = 0;
        for (const t of tokensOf(accountId)) {
          if (t.accountId === accountId && t.purpose === purpose && time(t.createdAt) >= from) n++;
        }
        return n;
      },
      async latest(accountId, purpose) {
        live();
        let best: OneTimeToken | null = null;
        for (const t of tokensOf(accountId)) {
          // Ties go to the later insertion (Map order).
          if (t.accountId === accountId && t.purpose === purpose && (!best || time(t.createdAt) >= time(best.createdAt))) {
            best = t;
          }
        }
        return best ? copy(best) : null;
      },
    },

    saml: {
      async rememberAssertion(assertionId, expiresAt) {
        live();
        // Seen is seen, even past its expiry: a replay is refused until the entry is pruned.
        if (samlAssertions.records.has(assertionId)) return false;
        samlAssertions.records.set(assertionId, { id: assertionId, expiresAt });
        await samlAssertions.commit();
        return true;
      },
      async hasSeenAssertion(assertionId) {
        live();
        return samlAssertions.records.has(assertionId);
      },
    },

    prune,

    counts() {
      return Object.fromEntries(Object.entries(all).map(([name, c]) => [name, c.records.size])) as Record<CollectionName, number>;
    },

    async flush() {
      await Promise.all(Object.values(all).map((c) => c.flush()));
    },

    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await store.flush();
    },
  };
  return store;
}
