import type { RequestHandler } from 'express';
import type { LanguageResponse, LogoutResponse, MailConfirmResponse, MailSentResponse, Me, SessionInfo } from '../../contract/api.js';
import type { Account } from '../../domain/model.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { chosenLanguage, requestLanguage } from '../middleware/errors.js';
import { LANG_COOKIE } from '../middleware/session.js';
import { isKioskRequest } from '../middleware/terminal.js';
import { validated, schemas } from '../validate.js';
import { institutionInfo } from '../presenters/institution.js';
import { serialize } from 'cookie';

const ONE_YEAR = 365 * 24 * 3600;

export function accountHandlers(deps: AppDeps) {
  const setLanguageCookie = (res: Parameters<RequestHandler>[1], language: string) =>
    res.append('Set-Cookie', serialize(LANG_COOKIE, language, { path: '/', sameSite: 'lax', secure: deps.config.secureCookies, maxAge: ONE_YEAR }));

  const me = async (account: Account): Promise<Me> => ({
    mail: account.mail,
    suggestedMail: account.mail === null ? account.idpMail : null,
    pendingMail: await deps.mail.pending(account),
    displayName: {
      ja: account.nameKanji ?? account.displayName ?? account.nameRoman,
      en: account.nameRoman ?? account.displayName ?? account.nameKanji,
    },
    language: account.language,
    studentIds: account.studentIds,
    previousLoginAt: account.previousLoginAt,
  });

  const session: RequestHandler = async (req, res) => {
    const live = await deps.sessionCookies.ensure(req, res);
    const [account, profile, logo, setup] = await Promise.all([
      live.record.accountId ? deps.accounts.find(live.record.accountId) : null,
      deps.institution.profile(),
      deps.institution.imageMeta('logo'),
      deps.certificates.setup(),
    ]);
    const body: SessionInfo = {
      csrfToken: live.record.csrfToken,
      language: account?.language ?? requestLanguage(req),
      languageChosen: account !== null || chosenLanguage(req) !== null,
      signedIn: account !== null,
      // A kiosk session, and still at an enrolled terminal (a revoked one is a browser at once).
      kiosk: live.record.kiosk && isKioskRequest(req),
      idleTimeoutSeconds: deps.sessions.idleSeconds(live.record.kiosk),
      demo: deps.config.demo,
      devMailbox: deps.devMailbox !== null,
      mailFrom: deps.config.mail.from,
      institution: profile && institutionInfo(profile, logo),
      open: setup.open,
    };
    res.json(body);
  };

  const getMe: RequestHandler = async (_req, res) => {
    res.json(await me(accountOf(res)));
  };

  const setLanguage: RequestHandler = async (req, res) => {
    const { language } = validated(res, { body: schemas.language }).body;
    const accountId = req.session?.record.accountId;
    if (accountId) await deps.accounts.setLanguage(accountId, language);
    setLanguageCookie(res, language);
    const body: LanguageResponse = { language };
    res.json(body);
  };

  const requestRegistration: RequestHandler = async (_req, res) => {
    const { mail, mailConfirm } = validated(res, { body: schemas.mailRequest }).body;
    const body: MailSentResponse = await deps.mail.requestRegistration(accountOf(res), mail, mailConfirm);
    res.json(body);
  };

  const requestChange: RequestHandler = async (_req, res) => {
    const { mail, mailConfirm } = validated(res, { body: schemas.mailRequest }).body;
    const body: MailSentResponse = await deps.mail.requestChange(accountOf(res), mail, mailConfirm);
    res.json(body);
  };

  const confirmMail: RequestHandler = async (_req, res) => {
    const { token } = validated(res, { body: schemas.mailConfirm }).body;
    const result = await deps.mail.confirm(token);
    const body: MailConfirmResponse = { purpose: result.purpose, mail: result.mail };
    res.json(body);
  };

  const logout: RequestHandler = async (req, res) => {
    const live = req.session;
    const idpLogout = live ? await deps.login.logoutUrl(live.record) : null;
    await deps.sessionCookies.destroy(req, res);
    const body: LogoutResponse = { redirect: idpLogout ?? '/login?loggedOut=1' };
    res.json(body);
  };

  return { session, getMe, setLanguage, requestRegistration, requestChange, confirmMail, logout };
}
