import { createShareLinkService, type ShareLinkService } from '../domain/share-links/service.js';
import type { RateLimitRule } from '../domain/rate-limits.js';
import type { FeatureContext } from './context.js';

/** Holders' share links: made and revoked by the student, opened by anyone with the link (and its PIN). */
export function createShareLinksFeature(ctx: FeatureContext, options: { rateLimit?: RateLimitRule } = {}): ShareLinkService {
  const { stores } = ctx;
  return createShareLinkService({
    links: stores.shareLinks,
    certificates: stores.certificates,
    pdfs: stores.certificatePdfs,
    transaction: (work) => stores.transaction(work),
    audit: ctx.audit,
    clock: ctx.clock,
    random: ctx.random,
    rateLimits: stores.rateLimits,
    throttles: stores.loginThrottles,
    rateLimit: options.rateLimit,
  });
}
