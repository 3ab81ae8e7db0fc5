/**
 * Records of the core Store port (accounts, sessions, one-time tokens) for tests,
 * each with its own id, at fixed instants after T0.
 */
import type { Account, OneTimeToken, Session } from '../../service/domain/model.js';

export const T0 = Date.parse('2026-04-01T09:00:00.000Z');
/** An ISO time `minutes` after T0, as the domain writes instants. */
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let n = 0;
export const account = (over: Partial<Account> = {}): Account => ({
  id: `acc-${++n}`,
  idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
  userId: `user${n}@example.ac.jp`,
  mail: null,
  idpMail: `user${n}@example.ac.jp`,
  displayName: '山田 花子',
  nameKanji: '山田 花子',
  nameKana: 'ヤマダ ハナコ',
  nameRoman: 'YAMADA Hanako',
  studentIds: ['A1234567'],
  affiliation: 'student',
  language: 'ja',
  createdAt: at(0),
  lastLoginAt: at(0),
  previousLoginAt: null,
  ...over,
});
export const session = (over: Partial<Session> = {}): Session => ({
  idHash: `sess-${++n}`,
  accountId: null,
  csrfToken: 'csrf',
  kiosk: false,
  createdAt: at(0),
  lastSeenAt: at(0),
  expiresAt: at(60),
  saml: null,
  ...over,
});
export const token = (over: Partial<OneTimeToken> = {}): OneTimeToken => ({
  hash: `tok-${++n}`,
  purpose: 'mail.register',
  accountId: 'acc-x',
  mail: 'hanako@example.ac.jp',
  createdAt: at(0),
  expiresAt: at(30),
  usedAt: null,
  ...over,
});
