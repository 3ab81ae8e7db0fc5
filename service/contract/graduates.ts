/**
 * /api/graduates — graduate access (利用申請 for graduates without a campus account, manual §2.3
 * steps 15–16). Types only (the renderer imports them). Errors have the `ApiError` shape of
 * contract/api.ts. Every POST carries `X-CSRF-Token` from `GET /api/session`.
 *
 * Browser routes: `/graduates/apply` (利用申請(新規登録)), `/graduates/register#token=…` (the
 * mailed link: form → 確認 → 申請 → completion), `/graduates/forgot` (パスワードを忘れた方),
 * `/graduates/reset#token=…` (new password). Sign-in is a section of `/login`.
 */
import type { ApplicationFormInput, ApplicationSummary } from './applications.js';

/** Field error codes of the secret fields (besides `required` and `tooLong`). */
export type { SecretErrorCode } from '../shared/graduate-secrets.js';

/**
 * POST /api/graduates/apply — mails the one-time URL of the registration form (30 minutes).
 * The answer is the same whether or not the address is registered (then the mail says so).
 * 400 `validation.failed` (`mail`, `mailConfirm`), 429 `mail.rateLimited` {seconds}.
 */
export interface GraduateApplyRequest {
  mail: string;
  mailConfirm: string;
}
export interface GraduateMailSentResponse {
  sentTo: string;
  /** When the one-time URL stops working. */
  expiresAt: string;
}

/** POST /api/graduates/register/check and /api/graduates/reset/check — is the mailed link usable? Does not use it up. */
export interface GraduateTokenRequest {
  token: string;
}
export interface GraduateLinkResponse {
  /** The address the link was sent to (the sign-in mail address). */
  mail: string;
  expiresAt: string;
}

/**
 * POST /api/graduates/register (申請) — uses the link up; creates the account (inactive until
 * staff approve) and a pending application. 400 `validation.failed` with `fields`: the secret
 * fields by name (`password`, `passwordConfirm`, `secondPassword`, `secondPasswordConfirm`:
 * `required`, `tooLong`, or a `SecretErrorCode`) and the form's fields as `form.<field>`
 * (`ApplicationFieldErrorCode`). 400/410 `token.*`; 409 `graduate.alreadyRegistered`.
 */
export interface GraduateRegisterRequest {
  token: string;
  form: ApplicationFormInput;
  password: string;
  passwordConfirm: string;
  secondPassword: string;
  secondPasswordConfirm: string;
}
export interface GraduateRegisterResponse {
  mail: string;
  application: ApplicationSummary;
}

/**
 * POST /api/graduates/login — on success a new session (as after the university sign-in) and the
 * language cookie. Failures: 401 `graduate.loginFailed` (whichever secret was wrong, or an
 * unknown address), 403 `graduate.notApproved` / `graduate.rejected` (only when both secrets
 * were right), 429 `graduate.tooManyAttempts` {seconds}, 429 `graduate.locked` {minutes}.
 */
export interface GraduateLoginRequest {
  mail: string;
  password: string;
  secondPassword: string;
}
export interface GraduateLoginResponse {
  /** Where to go now: the home screen (印刷先選択). */
  redirect: string;
}

/** POST /api/graduates/forgot — mails a reset link (same answer whether or not the address has an account). */
export interface GraduateForgotRequest {
  mail: string;
}

/**
 * POST /api/graduates/reset — a new password; a new second password too when both of its fields
 * are filled in (else the current one stays). Lifts a pause of logins, ends the account's
 * sessions, mails a notice. 400 `validation.failed` as for register (`password.sameAsSecond`).
 */
export interface GraduateResetRequest {
  token: string;
  password: string;
  passwordConfirm: string;
  secondPassword: string;
  secondPasswordConfirm: string;
}
export interface GraduateResetResponse {
  mail: string;
}
