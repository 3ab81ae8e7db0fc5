/** Graduate access API (/api/graduates): typed calls over the one request function of client.ts. */
import type {
  GraduateApplyRequest,
  GraduateForgotRequest,
  GraduateLinkResponse,
  GraduateLoginRequest,
  GraduateLoginResponse,
  GraduateMailSentResponse,
  GraduateRegisterRequest,
  GraduateRegisterResponse,
  GraduateResetRequest,
  GraduateResetResponse,
  GraduateTokenRequest,
} from '@contract/graduates';
import { call } from './client';

/** POST /api/graduates/apply — 利用申請(新規登録): mails the one-time URL of the registration form. */
export function postGraduateApply(body: GraduateApplyRequest): Promise<GraduateMailSentResponse> {
  return call<GraduateMailSentResponse>({ method: 'POST', url: '/api/graduates/apply', data: body });
}

/** POST /api/graduates/{register|reset}/check — whether the mailed link can still be used (does not use it up). */
export function postGraduateLinkCheck(kind: 'register' | 'reset', token: string): Promise<GraduateLinkResponse> {
  const body: GraduateTokenRequest = { token };
  return call<GraduateLinkResponse>({ method: 'POST', url: `/api/graduates/${kind}/check`, data: body });
}

/** POST /api/graduates/register — 申請. */
export function postGraduateRegister(body: GraduateRegisterRequest): Promise<GraduateRegisterResponse> {
  return call<GraduateRegisterResponse>({ method: 'POST', url: '/api/graduates/register', data: body });
}

/** POST /api/graduates/login — sign-in with mail address, password and second password. */
export function postGraduateLogin(body: GraduateLoginRequest): Promise<GraduateLoginResponse> {
  return call<GraduateLoginResponse>({ method: 'POST', url: '/api/graduates/login', data: body });
}

/** POST /api/graduates/forgot — パスワードを忘れた方: mails a reset link. */
export function postGraduateForgot(body: GraduateForgotRequest): Promise<GraduateMailSentResponse> {
  return call<GraduateMailSentResponse>({ method: 'POST', url: '/api/graduates/forgot', data: body });
}

/** POST /api/graduates/reset — a new password through the mailed link. */
export function postGraduateReset(body: GraduateResetRequest): Promise<GraduateResetResponse> {
  return call<GraduateResetResponse>({ method: 'POST', url: '/api/graduates/reset', data: body });
}
