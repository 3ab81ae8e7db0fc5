import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLowdbStores } from '../../service/adapters/lowdb/open.js';
import { openLowdbStore, type LowdbStore } from '../../service/adapters/lowdb/store.js';
import type { StudentRecord } from '../../service/domain/registry/model.js';
import type { Account, MailMessage, SamlIdentity } from '../../service/domain/model.js';
import type { Clock, Mailer, Random, TransactionalMailer } from '../../service/domain/ports.js';
import type { Stores } from '../../service/domain/stores.js';
import { systemRandom } from '../../service/domain/crypto.js';
import { DomainError } from '../../service/domain/errors.js';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-04-01T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** A mail transport (what the outbox worker sends through) that keeps what it was given. */
export class RecordingTransport implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/**
 * A mailer that keeps what it was asked to send (for domain tests; SMTP itself is tested apart). A
 * mail sent inside a transaction is kept once the caller wakes the sender after the commit (it does
 * not see rollbacks: the tests of those use the real outbox, test/support/outbox.ts).
 */
export class OutboxMailer implements TransactionalMailer {
  readonly sent: MailMessage[] = [];
  #uncommitted: MailMessage[] = [];
  within(): Mailer {
    return { send: async (message) => void this.#uncommitted.push(message) };
  }
  wake(): void {
    this.sent.push(...this.#uncommitted.splice(0));
  }
  last(): MailMessage {
    const m = this.sent.at(-1);
    if (!m) throw new Error('no mail was sent');
    return m;
  }
}

export async function tempStore(): Promise<LowdbStore> {
  return openLowdbStore(mkdtempSync(path.join(os.tmpdir(), 'shomei-unit-')), { pruneIntervalMs: 0 });
}

/** Every store port over lowdb in a new temporary directory (`dataDir`), without background timers. */
export async function tempStores(clock: Clock = new TestClock()): Promise<Stores & { dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-unit-'));
  const stores = await openLowdbStores(dataDir, { random: systemRandom, now: () => clock.now(), pruneIntervalMs: 0, expireIntervalMs: 0 });
  return { ...stores, dataDir };
}

export const random: Random = systemRandom;

/** A registry record of an enrolled undergraduate in the final year (graduating 2027-03-31). */
export function studentRecord(overrides: Partial<StudentRecord> = {}): StudentRecord {
  return {
    studentId: '2301234',
    nameKanji: '山田 花子',
    nameKana: 'ヤマダ ハナコ',
    nameRoman: 'Hanako Yamada',
    birthDate: '2004-05-14',
    universityCode: 'DEMO',
    universityName: { ja: 'デモ大学', en: 'Demo University' },
    facultyCode: 'ENG',
    facultyName: { ja: '工学部', en: 'Faculty of Engineering' },
    departmentCode: 'INF',
    departmentName: { ja: '情報工学科', en: 'Department of Information Engineering' },
    enrollmentDate: '2023-04-01',
    status: 'enrolled',
    graduationDate: '2027-03-31',
    degree: null,
    updatedAt: '2026-04-01T00:00:00.000Z',
    ...overrides,
  };
}

let serial = 0;
export function identity(overrides: Partial<SamlIdentity> = {}): SamlIdentity {
  serial += 1;
  return {
    idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
    userId: `user${serial}@example.ac.jp`,
    nameId: `nameid-${serial}`,
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    sessionIndex: `_session${serial}`,
    mail: `user${serial}@mail.example.ac.jp`,
    displayName: 'Hanako Sato',
    nameKanji: '佐藤 花子',
    nameKana: 'サトウ ハナコ',
    nameRoman: 'Hanako Sato',
    studentId: `24${String(serial).padStart(5, '0')}`,
    affiliation: 'student@example.ac.jp',
    ...overrides,
  };
}

export function account(overrides: Partial<Account> = {}): Account {
  serial += 1;
  return {
    id: `acc-${serial}`,
    idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
    userId: `user${serial}@example.ac.jp`,
    mail: null,
    idpMail: null,
    displayName: null,
    nameKanji: null,
    nameKana: null,
    nameRoman: null,
    studentIds: [],
    affiliation: null,
    language: 'ja',
    createdAt: '2026-04-01T00:00:00.000Z',
    lastLoginAt: null,
    previousLoginAt: null,
    ...overrides,
  };
}

/** The one-time token inside a mailed URL (`…/mail/confirm#token=…`). */
export function tokenFromMail(text: string): string {
  const m = /\/mail\/confirm#token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no one-time URL in mail:\n${text}`);
  return m[1];
}

/** The DomainError `promise` is refused with; fails the test when it resolves or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}
