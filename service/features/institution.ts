import { seedDemoInstitution } from '../demo/institution.js';
import type { ImageNormalizer } from '../domain/institution/ports.js';
import { createInstitutionService, type InstitutionService } from '../domain/institution/service.js';
import type { FeatureContext } from './context.js';

/** 大学情報: the institution profile, seal and logo; the demo's in demo mode. */
export async function createInstitutionFeature(
  ctx: Pick<FeatureContext, 'config' | 'clock' | 'audit' | 'stores'> & { normalizer: ImageNormalizer },
): Promise<InstitutionService> {
  const store = ctx.stores.institution;
  if (ctx.config.demo) await seedDemoInstitution(store, ctx.normalizer, ctx.clock);
  return createInstitutionService({ store, normalizer: ctx.normalizer, audit: ctx.audit, clock: ctx.clock });
}
