/**
 * The one place that knows the service's URLs. Pages and stores call these typed functions;
 * every failure comes back as an `ApiFailure` whose `code` is the i18n key `errors.<code>`.
 */
import axios, { AxiosError, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import type {
  ApiError,
  Language,
  LanguageRequest,
  LanguageResponse,
  LogoutResponse,
  MailConfirmRequest,
  MailConfirmResponse,
  MailRequest,
  MailSentResponse,
  Me,
  SessionInfo,
} from '../../../service/contract/api';

/** Codes the client produces itself, besides the service's codes. */
export const CLIENT_ERROR_CODES = ['network', 'generic'] as const;

export class ApiFailure extends Error {
  constructor(
    /** i18n key below `errors.` (`mail.rateLimited`, `network`, …). */
    readonly code: string,
    /** Values for the translated message, e.g. `{ seconds: 42 }`. */
    readonly params: Record<string, string | number> = {},
    /** For `validation.failed`: field name → code. */
    readonly fields: Record<string, string> = {},
    /** HTTP status; 0 when no answer arrived. */
    readonly status = 0,
  ) {
    super(code);
    this.name = 'ApiFailure';
  }
}

export const isApiFailure = (e: unknown): e is ApiFailure => e instanceof ApiFailure;

/** Browser destinations that are full-page navigations, not API calls. */
export const urls = {
  /** SP-initiated SAML sign-in; the service sends the browser back to `returnTo`. */
  signIn(returnTo = '/home'): string {
    return `/saml/login?returnTo=${encodeURIComponent(returnTo).replace(/%2F/g, '/')}`;
  },
  /** Demo mode only: the mailbox that receives the mails instead of SMTP. */
  devMailbox: '/dev/mailbox',
} as const;

/** CSRF token of the current server session, from GET /api/session. */
let csrfToken: string | null = null;

const isUnsafe = (method?: string) => !['get', 'head', 'options'].includes((method ?? 'get').toLowerCase());

function isApiErrorBody(data: unknown): data is ApiError {
  if (typeof data !== 'object' || data === null || !('error' in data)) return false;
  const error = (data as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (e instanceof AxiosError) {
    const res = e.response;
    if (!res) return new ApiFailure('network');
    if (isApiErrorBody(res.data)) {
      const { code, params, fields } = res.data.error;
      return new ApiFailure(code, params ?? {}, fields ?? {}, res.status);
    }
    return new ApiFailure(res.status === 404 ? 'notFound' : 'internal', {}, {}, res.status);
  }
  return new ApiFailure('generic');
}

export type RetryableConfig = AxiosRequestConfig & { csrfRetried?: boolean };

/** Where a client's CSRF token comes from: the one known now, and how to fetch a fresh one. */
export interface CsrfSource {
  current(): string | null;
  refresh(): Promise<unknown>;
}

/**
 * A request function for one session kind (student / staff): writes carry that session's CSRF
 * token (fetched first when none is known yet); on `csrf.invalid` a fresh token is fetched once
 * and the request retried. Every failure is thrown as `ApiFailure`.
 */
export function createCaller(options: { timeout: number; csrf: CsrfSource }): <T>(config: RetryableConfig) => Promise<T> {
  const { csrf } = options;
  const http = axios.create({
    baseURL: '/',
    headers: { Accept: 'application/json' },
    timeout: options.timeout,
    withCredentials: true,
  });

  http.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    if (isUnsafe(config.method)) {
      if (csrf.current() === null) await csrf.refresh();
      config.headers.set('X-CSRF-Token', csrf.current() ?? '');
    }
    return config;
  });

  async function request<T>(config: RetryableConfig): Promise<T> {
    try {
      const res = await http.request<T>(config);
      return res.data;
    } catch (e) {
      const failure = toFailure(e);
      if (failure.code === 'csrf.invalid' && !config.csrfRetried) {
        await csrf.refresh();
        return request<T>({ ...config, csrfRetried: true });
      }
      throw failure;
    }
  }
  return request;
}

/** Runs a request; on `csrf.invalid` fetches a fresh token once and retries. Feature modules (api/<area>.ts) use it too. */
export const call = createCaller({ timeout: 20_000, csrf: { current: () => csrfToken, refresh: () => getSession() } });

/** GET /api/session — also refreshes the CSRF token used by every later write. */
export async function getSession(): Promise<SessionInfo> {
  const info = await call<SessionInfo>({ method: 'GET', url: '/api/session' });
  csrfToken = info.csrfToken;
  return info;
}

/** GET /api/me — the signed-in account; fails with 401 `auth.required` when nobody is signed in. */
export async function getMe(): Promise<Me> {
  return call<Me>({ method: 'GET', url: '/api/me' });
}

export async function putLanguage(language: Language): Promise<LanguageResponse> {
  const body: LanguageRequest = { language };
  return call<LanguageResponse>({ method: 'PUT', url: '/api/language', data: body });
}

export type MailPurpose = 'register' | 'change';

/** POST /api/mail/registration (first login) or /api/mail/change. */
export async function postMail(purpose: MailPurpose, body: MailRequest): Promise<MailSentResponse> {
  const url = purpose === 'register' ? '/api/mail/registration' : '/api/mail/change';
  return call<MailSentResponse>({ method: 'POST', url, data: body });
}

export async function postMailConfirm(token: string): Promise<MailConfirmResponse> {
  const body: MailConfirmRequest = { token };
  return call<MailConfirmResponse>({ method: 'POST', url: '/api/mail/confirm', data: body });
}

export async function postLogout(): Promise<LogoutResponse> {
  return call<LogoutResponse>({ method: 'POST', url: '/api/logout' });
}
