/**
 * The JSON API contract shared by the service and the renderer (types only, no runtime code,
 * so the renderer can import it without pulling in Node modules).
 *
 * Every error answer has the shape `ApiError`; `error.code` is the i18n key (`errors.<code>`).
 * State-changing requests (POST/PUT/PATCH/DELETE under /api/) must carry the header
 * `X-CSRF-Token` with the token from `GET /api/session`.
 */

import type { InstitutionInfo } from './institution.js';

export type Language = 'ja' | 'en';

/** GET /api/session — names an anonymous session (stored nowhere) when needed and sets its cookie. */
export interface SessionInfo {
  csrfToken: string;
  language: Language;
  /**
   * False when nobody chose the language yet (no account, no language cookie): a kiosk then shows
   * its terminal's default language instead of `language`.
   */
  languageChosen: boolean;
  signedIn: boolean;
  /** True on campus kiosk terminals (stricter idle timeout, ForceAuthn). */
  kiosk: boolean;
  /** Idle timeout of this session, in seconds. */
  idleTimeoutSeconds: number;
  /** Demo mode: the login screen links to the demo IdP and the dev mailbox. */
  demo: boolean;
  /** True when the dev mailbox is used instead of SMTP. */
  devMailbox: boolean;
  /** The sender of our mails, for the "add it to your allow list" note. */
  mailFrom: string;
  /** The university (大学情報); null until an administrator has entered it. */
  institution: InstitutionInfo | null;
  /** False until setup is complete (profile, seal, an active certificate type, the signing key): students see "not open yet". */
  open: boolean;
}

/** GET /api/me — 200 with the signed-in account, 401 `auth.required` otherwise. */
export interface Me {
  /** Verified mail address; null means the first-login registration must be done first. */
  mail: string | null;
  /** Address offered by the IdP, to prefill the registration form. */
  suggestedMail: string | null;
  /** A registration or change waiting for its link to be opened. */
  pendingMail: { mail: string; expiresAt: string } | null;
  /** The holder's name as the IdP gives it, per UI language (kanji for ja, roman letters for en). */
  displayName: Record<Language, string | null>;
  language: Language;
  studentIds: string[];
  /** The login before this one (前回ログイン日時); null at the very first login. */
  previousLoginAt: string | null;
}

/** PUT /api/language — sets the language cookie, and the account's language when signed in. */
export interface LanguageRequest {
  language: Language;
}
export interface LanguageResponse {
  language: Language;
}

/** POST /api/mail/registration (first login) and POST /api/mail/change (signed in with a mail). */
export interface MailRequest {
  mail: string;
  mailConfirm: string;
}
export interface MailSentResponse {
  sentTo: string;
  /** When the one-time URL stops working. */
  expiresAt: string;
}

/** POST /api/mail/confirm — consumes the one-time token from the mailed URL (`/mail/confirm#token=…`). */
export interface MailConfirmRequest {
  token: string;
}
export interface MailConfirmResponse {
  purpose: 'register' | 'change';
  mail: string;
}

/** POST /api/logout — ends the session on the server. */
export interface LogoutResponse {
  /** Where the browser should go next (the login screen, or the IdP's logout). */
  redirect: string;
}

export interface ApiError {
  error: {
    code: string;
    /** Already translated into the request's language; the UI prefers its own `errors.<code>`. */
    message: string;
    params?: Record<string, string | number>;
    /** For `validation.failed`: field name → error code (`mail.invalid`, `mail.mismatch`, `required`, …). */
    fields?: Record<string, string>;
  };
}
