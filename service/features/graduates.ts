import { createGraduateAccess } from '../domain/graduates/access.js';
import type { GraduateAccess } from '../domain/graduates/access-api.js';
import { DEFAULT_MAIL_POLICY } from '../domain/mail-verification.js';
import { OneTimeTokens } from '../domain/one-time-tokens.js';
import type { ApplicationService } from './applications.js';
import type { FeatureContext } from './context.js';

/** Graduate access: registration, password + second password sign-in, lockout, reset. */
export type GraduateService = GraduateAccess;

export function createGraduatesFeature(ctx: FeatureContext & { applications: ApplicationService }): GraduateService {
  const base = ctx.config.publicUrl;
  const access = createGraduateAccess({
    store: ctx.stores.store,
    credentials: ctx.stores.graduateCredentials,
    rateLimits: ctx.stores.rateLimits,
    loginThrottles: ctx.stores.loginThrottles,
    tokens: new OneTimeTokens(ctx.stores.store, ctx.clock, ctx.random, DEFAULT_MAIL_POLICY),
    applications: ctx.applications,
    audit: ctx.audit,
    transaction: (work) => ctx.stores.transaction(work),
    mailer: ctx.mailer,
    clock: ctx.clock,
    random: ctx.random,
    urls: {
      // The token travels in the fragment: never in a request line, so never in a log.
      register: (token) => `${base}/graduates/register#token=${token}`,
      reset: (token) => `${base}/graduates/reset#token=${token}`,
      apply: `${base}/graduates/apply`,
      forgot: `${base}/graduates/forgot`,
      login: `${base}/login`,
    },
  });
  // An approved graduate application activates the account and gives it the student ID.
  ctx.applications.onDecided(async (application, action, tx) => {
    if (action === 'approve') await access.onDecided(application, tx);
  });
  return access;
}
