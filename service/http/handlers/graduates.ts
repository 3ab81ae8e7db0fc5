import { serialize } from 'cookie';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type {
  GraduateLinkResponse,
  GraduateLoginResponse,
  GraduateMailSentResponse,
  GraduateRegisterResponse,
  GraduateResetResponse,
} from '../../contract/graduates.js';
import type { AppDeps } from '../deps.js';
import { requestLanguage } from '../middleware/errors.js';
import { LANG_COOKIE } from '../middleware/session.js';
import { validated, mailAddress, schemas as common } from '../validate.js';
import { toSummary } from './applications.js';

const ONE_YEAR = 365 * 24 * 3600;

/** A secret as typed: any characters (the domain's rules judge them), bounded in size. */
const secret = z.string({ error: 'required' }).max(512, 'tooLong');
const optionalSecret = z.string().max(512, 'tooLong').default('');
const secrets = {
  password: secret,
  passwordConfirm: optionalSecret,
  secondPassword: optionalSecret,
  secondPasswordConfirm: optionalSecret,
};

/** Envelopes only: the secrets' rules and the form are checked by the domain, field by field. */
export const graduateSchemas = {
  apply: common.mailRequest,
  token: common.mailConfirm,
  register: common.mailConfirm.extend({ form: z.record(z.string(), z.unknown(), { error: 'required' }), ...secrets }),
  login: z.object({
    mail: z.string({ error: 'required' }).trim().min(1, 'required').max(254, 'tooLong'),
    password: secret.min(1, 'required'),
    secondPassword: secret.min(1, 'required'),
  }),
  forgot: z.object({ mail: mailAddress }),
  reset: common.mailConfirm.extend(secrets),
};
const schemas = graduateSchemas;

/** The client's address for the throttles (the proxy's X-Forwarded-For when TRUST_PROXY says so). */
const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function graduateHandlers(deps: AppDeps) {
  const g = deps.graduates;

  const apply: RequestHandler = async (req, res) => {
    const { mail, mailConfirm } = validated(res, { body: schemas.apply }).body;
    const body: GraduateMailSentResponse = await g.apply(mail, mailConfirm, requestLanguage(req), clientOf(req));
    res.json(body);
  };

  const checkRegistration: RequestHandler = async (_req, res) => {
    const { token } = validated(res, { body: schemas.token }).body;
    const body: GraduateLinkResponse = await g.checkRegistration(token);
    res.json(body);
  };

  const register: RequestHandler = async (req, res) => {
    const input = validated(res, { body: schemas.register }).body;
    const catalogue = await deps.registry.catalogue();
    const { mail, application } = await g.register({ ...input, language: requestLanguage(req), catalogue });
    const body: GraduateRegisterResponse = { mail, application: toSummary(application) };
    res.status(201).json(body);
  };

  const login: RequestHandler = async (req, res) => {
    const { mail, password, secondPassword } = validated(res, { body: schemas.login }).body;
    const account = await g.login({ mail, password, secondPassword, client: clientOf(req) });
    await deps.sessionCookies.regenerate(req, res, account.id, null);
    res.append('Set-Cookie', serialize(LANG_COOKIE, account.language, { path: '/', sameSite: 'lax', secure: deps.config.secureCookies, maxAge: ONE_YEAR }));
    req.log.info({ account: account.id }, 'graduate login');
    const body: GraduateLoginResponse = { redirect: '/home' };
    res.json(body);
  };

  const forgot: RequestHandler = async (req, res) => {
    const { mail } = validated(res, { body: schemas.forgot }).body;
    const body: GraduateMailSentResponse = await g.forgot(mail, requestLanguage(req), clientOf(req));
    res.json(body);
  };

  const checkReset: RequestHandler = async (_req, res) => {
    const { token } = validated(res, { body: schemas.token }).body;
    const body: GraduateLinkResponse = await g.checkReset(token);
    res.json(body);
  };

  const reset: RequestHandler = async (_req, res) => {
    const input = validated(res, { body: schemas.reset }).body;
    const body: GraduateResetResponse = await g.reset(input);
    res.json(body);
  };

  return { apply, checkRegistration, register, login, forgot, checkReset, reset };
}
