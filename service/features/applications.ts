import type { Application } from '../domain/applications/model.js';
import type { FeatureContext } from './context.js';
import type { RegistryService } from './registry.js';

/** 利用申請: additional student IDs and graduate access, decided by staff (issue #3). Skeleton. */
export interface ApplicationService {
  listForAccount(accountId: string): Promise<Application[]>;
}

export async function createApplicationsFeature(_ctx: FeatureContext & { registry: RegistryService }): Promise<ApplicationService> {
  return { listForAccount: async () => [] };
}
