import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { metaOf, type InstitutionImage, type InstitutionImageKind, type InstitutionProfile } from '../../domain/institution/model.js';
import type { InstitutionStore } from '../../domain/institution/ports.js';
import { Collection } from './collection.js';

export const INSTITUTION_FILE = 'institution.json';
export const INSTITUTION_IMAGES_FILE = 'institution-images.json';

type StoredProfile = InstitutionProfile & { key: 'profile' };
type StoredImage = Omit<InstitutionImage, 'png'> & { pngBase64: string };

const toStored = (image: InstitutionImage): StoredImage => ({ ...metaOf(image), pngBase64: Buffer.from(image.png).toString('base64') });
const fromStored = ({ pngBase64, ...meta }: StoredImage): InstitutionImage => ({ ...meta, png: new Uint8Array(Buffer.from(pngBase64, 'base64')) });

/**
 * The profile (DATA_DIR/institution.json, one record) and its images (institution-images.json,
 * PNG as base64, one record per kind) apart, so that reading the profile on every page never
 * parses the images.
 */
export async function openInstitutionStore(dataDir: string): Promise<InstitutionStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const [profiles, images] = await Promise.all([
    Collection.open<StoredProfile>(path.join(dataDir, INSTITUTION_FILE), (p) => p.key),
    Collection.open<StoredImage>(path.join(dataDir, INSTITUTION_IMAGES_FILE), (i) => i.kind),
  ]);
  return {
    async profile() {
      const stored = profiles.records.get('profile');
      if (!stored) return null;
      const { key: _key, ...profile } = structuredClone(stored);
      return profile;
    },
    async putProfile(profile) {
      profiles.records.set('profile', { ...structuredClone(profile), key: 'profile' });
      await profiles.commit();
    },
    async image(kind: InstitutionImageKind) {
      const stored = images.records.get(kind);
      return stored ? fromStored(stored) : null;
    },
    async imageMeta(kind: InstitutionImageKind) {
      const stored = images.records.get(kind);
      if (!stored) return null;
      const { pngBase64: _png, ...meta } = stored;
      return { ...meta };
    },
    async putImage(image) {
      images.records.set(image.kind, toStored(image));
      await images.commit();
    },
    async removeImage(kind) {
      if (images.records.delete(kind)) await images.commit();
    },
    async flush() {
      await Promise.all([profiles.flush(), images.flush()]);
    },
  };
}
