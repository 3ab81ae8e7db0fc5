import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { MailOutboxStore, OutboxMail } from '../../domain/mail/outbox.js';
import { Collection } from './collection.js';
import { copy } from './records.js';

export const MAIL_OUTBOX_FILE = 'mail-outbox.json';

/** Mails not sent yet in DATA_DIR/mail-outbox.json (sent ones are removed, so it stays small). */
export async function openMailOutboxStore(dataDir: string): Promise<MailOutboxStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const mails = await Collection.open<OutboxMail>(path.join(dataDir, MAIL_OUTBOX_FILE), (m) => m.id);
  const held = (id: string, claim: string) => {
    const mail = mails.records.get(id);
    return mail && mail.status === 'sending' && mail.claim === claim ? mail : null;
  };
  const oldestFirst = (a: OutboxMail, b: OutboxMail) => a.dueAt.localeCompare(b.dueAt) || a.enqueuedAt.localeCompare(b.enqueuedAt);
  return {
    async enqueue({ id, message, enqueuedAt }) {
      mails.records.set(id, {
        id,
        message: copy(message),
        status: 'pending',
        enqueuedAt,
        dueAt: enqueuedAt,
        attempts: 0,
        claim: null,
        leaseUntil: null,
        lastError: null,
      });
      await mails.commit();
    },
    async claim(now, leaseUntil, claim, limit) {
      const due = [...mails.records.values()]
        .filter((m) => (m.status === 'pending' && m.dueAt <= now) || (m.status === 'sending' && m.leaseUntil !== null && m.leaseUntil <= now))
        .sort(oldestFirst)
        .slice(0, limit);
      if (due.length === 0) return [];
      for (const m of due) Object.assign(m, { status: 'sending', claim, leaseUntil, attempts: m.attempts + 1 });
      await mails.commit();
      return due.map(copy);
    },
    async markSent(id, claim) {
      if (!held(id, claim)) return false;
      mails.records.delete(id);
      await mails.commit();
      return true;
    },
    async markRetry(id, claim, dueAt, error) {
      const mail = held(id, claim);
      if (!mail) return false;
      Object.assign(mail, { status: 'pending', dueAt, claim: null, leaseUntil: null, lastError: error });
      await mails.commit();
      return true;
    },
    async markFailed(id, claim, error) {
      const mail = held(id, claim);
      if (!mail) return false;
      Object.assign(mail, { status: 'failed', claim: null, leaseUntil: null, lastError: error });
      await mails.commit();
      return true;
    },
    async retry(id, now) {
      const mail = mails.records.get(id);
      if (!mail || (mail.status === 'sending' && (mail.leaseUntil === null || mail.leaseUntil > now))) return null;
      Object.assign(mail, { status: 'pending', dueAt: now, attempts: 0, claim: null, leaseUntil: null });
      await mails.commit();
      return copy(mail);
    },
    list: async () => [...mails.records.values()].sort((a, b) => a.enqueuedAt.localeCompare(b.enqueuedAt)).map(copy),
    flush: () => mails.flush(),
  };
}
