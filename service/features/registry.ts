import type { CatalogueUniversity, StudentRecord } from '../domain/registry/model.js';
import type { FeatureContext } from './context.js';

/** Student registry: CSV import, catalogue, matching aid (issue #3). Skeleton, filled in by the registry work. */
export interface RegistryService {
  catalogue(): Promise<CatalogueUniversity[]>;
  getStudent(studentId: string): Promise<StudentRecord | null>;
}

export async function createRegistryFeature(_ctx: FeatureContext): Promise<RegistryService> {
  return {
    catalogue: async () => [],
    getStudent: async () => null,
  };
}
