import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { StaffSession, StaffSessionStore, StaffStore, StaffUser } from '../../domain/staff/model.js';
import { Collection } from './collection.js';
import { copy } from './records.js';
import { SharedCollection } from './shared-collection.js';

export const STAFF_USERS_FILE = 'staff-users.json';
export const STAFF_SESSIONS_FILE = 'staff-sessions.json';

/**
 * Staff users in DATA_DIR/staff-users.json. Shared with the staff CLI, which may run while the
 * service does (see SharedCollection): every lookup sees the CLI's latest changes.
 */
export async function openStaffStore(dataDir: string): Promise<StaffStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const users = await SharedCollection.open<StaffUser>(path.join(dataDir, STAFF_USERS_FILE), (u) => u.id);
  const byUsername = (records: ReadonlyMap<string, StaffUser>, username: string): StaffUser | undefined => {
    for (const user of records.values()) if (user.username === username) return user;
    return undefined;
  };
  return {
    get: (id) => users.read((records) => copy(records.get(id) ?? null)),
    findByUsername: (username) => users.read((records) => copy(byUsername(records, username) ?? null)),
    insert: (user) =>
      users.write((records) => {
        if (records.has(user.id) || byUsername(records, user.username)) return { changed: false, result: false };
        records.set(user.id, copy(user));
        return { changed: true, result: true };
      }),
    update: (id, patch) =>
      users.write((records) => {
        const current = records.get(id);
        if (!current) return { changed: false, result: null };
        const next: StaffUser = { ...current, ...copy(patch), id };
        if (next.username !== current.username && byUsername(records, next.username)) return { changed: false, result: null };
        records.set(id, next);
        return { changed: true, result: copy(next) };
      }),
    list: () => users.read((records) => [...records.values()].map(copy).sort((a, b) => a.username.localeCompare(b.username))),
    flush: () => users.flush(),
  };
}

/** Staff sessions in DATA_DIR/staff-sessions.json: the service's alone (the CLI never opens it). */
export async function openStaffSessionStore(dataDir: string): Promise<StaffSessionStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const sessions = await Collection.open<StaffSession>(path.join(dataDir, STAFF_SESSIONS_FILE), (s) => s.idHash);
  return {
    get: async (idHash) => copy(sessions.records.get(idHash) ?? null),
    put: async (session) => {
      sessions.records.set(session.idHash, copy(session));
      await sessions.commit();
    },
    delete: async (idHash) => {
      if (sessions.records.delete(idHash)) await sessions.commit();
    },
    pruneExpired: async ({ lastSeenBy, expiresBy }) => {
      const idle = Date.parse(lastSeenBy);
      const end = Date.parse(expiresBy);
      const n = sessions.deleteWhere((s) => Date.parse(s.lastSeenAt) <= idle || Date.parse(s.expiresAt) <= end);
      if (n > 0) await sessions.commit();
      return n;
    },
    flush: () => sessions.flush(),
  };
}
