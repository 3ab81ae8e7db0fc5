import { createApplicationService, type ApplicationService } from '../domain/applications/service.js';
import { OneTimeTokens } from '../domain/one-time-tokens.js';
import type { FeatureContext } from './context.js';
import type { RegistryService } from './registry.js';

export type { ApplicationService };
export type { Decision, DecisionAction, DecisionListener, StaffActor } from '../domain/applications/service.js';

/**
 * 利用申請: additional student IDs (manual §2.3) and graduate access, decided by staff.
 * Applications have their own store; the one-time URLs live in the Store's tokens, like the
 * mail verification links.
 */
export function createApplicationsFeature(ctx: FeatureContext & { registry: RegistryService }): ApplicationService {
  return createApplicationService({
    store: ctx.stores.applications,
    transaction: (work) => ctx.stores.transaction(work),
    tokens: new OneTimeTokens(ctx.stores.store, ctx.clock, ctx.random),
    accounts: ctx.accounts,
    mailer: ctx.mailer,
    clock: ctx.clock,
    random: ctx.random,
    audit: ctx.audit,
    catalogue: () => ctx.registry.catalogue(),
    publicUrl: ctx.config.publicUrl,
  });
}
