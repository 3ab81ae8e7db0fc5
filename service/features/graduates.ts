import type { FeatureContext } from './context.js';
import type { ApplicationService } from './applications.js';

/** Graduate access: registration, password + second password sign-in, lockout, reset (issue #3). Skeleton. */
export type GraduateService = Record<string, never>;

export async function createGraduatesFeature(_ctx: FeatureContext & { applications: ApplicationService }): Promise<GraduateService> {
  return {};
}
