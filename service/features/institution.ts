import { resvgNormalizer } from '../adapters/images/resvg-normalizer.js';
import { openInstitutionStore } from '../adapters/lowdb/institution-store.js';
import { seedDemoInstitution } from '../demo/institution.js';
import { createInstitutionService, type InstitutionService } from '../domain/institution/service.js';
import type { FeatureContext } from './context.js';

/** 大学情報: the institution profile, seal and logo (DATA_DIR/institution*.json); the demo's in demo mode. */
export async function createInstitutionFeature(ctx: Pick<FeatureContext, 'config' | 'clock' | 'audit'>): Promise<InstitutionService> {
  const store = await openInstitutionStore(ctx.config.dataDir);
  if (ctx.config.demo) await seedDemoInstitution(store, resvgNormalizer, ctx.clock);
  return createInstitutionService({ store, normalizer: resvgNormalizer, audit: ctx.audit, clock: ctx.clock });
}
