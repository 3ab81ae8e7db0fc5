/**
 * The one place that knows the service's URLs. Pages and stores call these typed functions;
 * every failure comes back as an `ApiFailure` whose `code` is the i18n key `errors.<code>`.
 */
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
} from '@contract/api';

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
  return new ApiFailure('generic');
}

/** One API request, as the feature modules (api/<area>.ts) describe it. */
export interface RequestConfig {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Query string values (undefined ones left out). */
  params?: object;
  /** A plain object is sent as JSON; a string or a Blob as it is (set its Content-Type in `headers`). */
  data?: unknown;
  headers?: Record<string, string>;
  /** `blob` for documents (PDF); JSON otherwise. */
  responseType?: 'json' | 'blob';
}

export type RetryableConfig = RequestConfig & { csrfRetried?: boolean };

/** Where a client's CSRF token comes from: the one known now, and how to fetch a fresh one. */
export interface CsrfSource {
  current(): string | null;
  refresh(): Promise<unknown>;
}

function urlOf(config: RequestConfig): string {
  const entries = Object.entries(config.params ?? {}).filter(([, v]) => v !== undefined && v !== null);
  const query = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
  return query ? `${config.url}?${query}` : config.url;
}

function bodyOf(config: RequestConfig, headers: Headers): BodyInit | undefined {
  const { data } = config;
  if (data === undefined) return undefined;
  if (typeof data === 'string' || data instanceof Blob) return data;
  if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  return JSON.stringify(data);
}

/** The failure an answer other than 2xx stands for: the service's code when its body says one. */
async function failureOf(res: Response): Promise<ApiFailure> {
  const data: unknown = await res.json().catch(() => null);
  if (isApiErrorBody(data)) {
    const { code, params, fields } = data.error;
    return new ApiFailure(code, params ?? {}, fields ?? {}, res.status);
  }
  return new ApiFailure(res.status === 404 ? 'notFound' : 'internal', {}, {}, res.status);
}

/**
 * A request function for one session kind (student / staff): writes carry that session's CSRF
 * token (fetched first when none is known yet); on `csrf.invalid` a fresh token is fetched once
 * and the request retried. Every failure is thrown as `ApiFailure` (`network` when no answer
 * arrived within `timeout` ms).
 */
export function createCaller(options: { timeout: number; csrf: CsrfSource }): <T>(config: RetryableConfig) => Promise<T> {
  const { csrf } = options;

  async function send(config: RequestConfig): Promise<unknown> {
    const headers = new Headers({ Accept: 'application/json', ...config.headers });
    if (isUnsafe(config.method)) {
      if (csrf.current() === null) await csrf.refresh();
      headers.set('X-CSRF-Token', csrf.current() ?? '');
    }
    const body = bodyOf(config, headers);
    let res: Response;
    try {
      res = await fetch(urlOf(config), {
        method: config.method,
        headers,
        body,
        credentials: 'same-origin',
        signal: AbortSignal.timeout(options.timeout),
      });
    } catch {
      throw new ApiFailure('network');
    }
    if (!res.ok) throw await failureOf(res);
    try {
      if (config.responseType === 'blob') return await res.blob();
      const text = await res.text();
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch (e) {
      // The connection broke (or the timeout struck) while the body was arriving.
      throw e instanceof SyntaxError ? new ApiFailure('internal', {}, {}, res.status) : new ApiFailure('network');
    }
  }

  async function request<T>(config: RetryableConfig): Promise<T> {
    try {
      return (await send(config)) as T;
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
