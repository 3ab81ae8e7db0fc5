import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { MailMessage, StoredMail } from '../../domain/model.js';
import type { Clock, Mailer } from '../../domain/ports.js';
import { DurableFile } from '../lowdb/durable-file.js';

interface MailboxFile {
  version: 1;
  /** Oldest first. */
  mails: StoredMail[];
}

export interface DevMailboxOptions {
  /** Sender shown on stored mails. Default no-reply@localhost. */
  from?: string;
  /** How many mails are kept (the newest). Default 200. */
  limit?: number;
  /** Mail ids (tests pin them). Default random UUIDs. */
  newId?: () => string;
}

export const DEV_MAILBOX_FILE = 'dev-mailbox.json';

/**
 * The Mailer of a machine without SMTP relay: mails are kept in DATA_DIR/dev-mailbox.json
 * (the newest 200) and read at /dev/mailbox. A development and demo tool only.
 */
export class DevMailbox implements Mailer {
  private constructor(
    private readonly db: Low<MailboxFile>,
    private readonly clock: Clock,
    private readonly from: string,
    private readonly limit: number,
    private readonly newId: () => string,
  ) {}

  static async open(dataDir: string, clock: Clock, options: DevMailboxOptions = {}): Promise<DevMailbox> {
    await mkdir(dataDir, { recursive: true });
    const adapter = new DurableFile<MailboxFile>(path.join(dataDir, DEV_MAILBOX_FILE), { parse: parseMailbox });
    const db = new Low<MailboxFile>(adapter, { version: 1, mails: [] });
    await db.read();
    return new DevMailbox(db, clock, options.from ?? 'no-reply@localhost', options.limit ?? 200, options.newId ?? randomUUID);
  }

  /** Stores the mail; resolves once it is on disk. */
  async send(message: MailMessage): Promise<void> {
    const mail: StoredMail = {
      id: this.newId(),
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      sentAt: this.clock.now().toISOString(),
    };
    const mails = [...this.db.data.mails, mail];
    this.db.data = { version: 1, mails: mails.slice(Math.max(0, mails.length - this.limit)) };
    await this.db.write();
  }

  /** Newest first. */
  list(): StoredMail[] {
    return this.db.data.mails.map((m) => ({ ...m })).reverse();
  }

  get(id: string): StoredMail | null {
    const mail = this.db.data.mails.find((m) => m.id === id);
    return mail ? { ...mail } : null;
  }
}

function parseMailbox(json: unknown): MailboxFile {
  const file = json as Partial<MailboxFile> | null;
  if (typeof file !== 'object' || file === null || file.version !== 1 || !Array.isArray(file.mails)) {
    throw new Error('expected { "version": 1, "mails": [...] }');
  }
  return { version: 1, mails: file.mails };
}
