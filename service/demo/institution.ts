/**
 * Demo mode: the demo university's profile, seal and logo (resources/demo), stored on first
 * start like an administrator would enter them. Nothing outside demo mode names this university.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../domain/ports.js';
import type { ImageNormalizer, InstitutionStore } from '../domain/institution/ports.js';
import { institutionProfileSchema } from '../domain/institution/profile-schema.js';
import { prepareImage } from '../domain/institution/service.js';
import { resourcesDir } from '../paths.js';

const DEMO_DIR = path.join(resourcesDir, 'demo');

export async function seedDemoInstitution(store: InstitutionStore, normalizer: ImageNormalizer, clock: Clock): Promise<void> {
  if (await store.profile()) return;
  const file = path.join(DEMO_DIR, 'institution.json');
  const parsed = institutionProfileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid: ${parsed.error.message}`);
  for (const kind of ['seal', 'logo'] as const) {
    await store.putImage(await prepareImage(normalizer, kind, new Uint8Array(await readFile(path.join(DEMO_DIR, `${kind}.svg`))), clock.now()));
  }
  // The profile last: its presence is what says "seeded".
  await store.putProfile({ ...parsed.data, updatedAt: clock.now().toISOString() });
}
