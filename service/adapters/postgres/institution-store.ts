import type { InstitutionImage, InstitutionImageKind, InstitutionImageMeta, InstitutionProfile } from '../../domain/institution/model.js';
import type { InstitutionStore } from '../../domain/institution/ports.js';
import { isoOf, jsonParam, type Queryable } from './queryable.js';

interface ProfileRow {
  profile: Omit<InstitutionProfile, 'updatedAt'>;
  updated_at: Date;
}

interface ImageMetaRow {
  kind: InstitutionImageKind;
  width: number;
  height: number;
  sha256: string;
  uploaded_type: InstitutionImage['uploadedType'];
  uploaded_at: Date;
}

const toMeta = (r: ImageMetaRow): InstitutionImageMeta => ({
  kind: r.kind,
  width: r.width,
  height: r.height,
  sha256: r.sha256,
  uploadedType: r.uploaded_type,
  uploadedAt: isoOf(r.uploaded_at),
});

const META_COLUMNS = 'kind, width, height, sha256, uploaded_type, uploaded_at';

/** The profile (one row, read on every page) and its images (PNG bytes, read only when drawn) apart. */
export function openPostgresInstitutionStore(db: Queryable): InstitutionStore {
  return {
    async profile() {
      const { rows } = await db.query<ProfileRow>('SELECT profile, updated_at FROM institution_profile');
      const r = rows[0];
      return r ? { ...r.profile, updatedAt: isoOf(r.updated_at) } : null;
    },
    async putProfile({ updatedAt, ...profile }) {
      await db.query(
        `INSERT INTO institution_profile (singleton, profile, updated_at) VALUES (true, $1, $2)
         ON CONFLICT (singleton) DO UPDATE SET profile = EXCLUDED.profile, updated_at = EXCLUDED.updated_at`,
        [jsonParam(profile), updatedAt],
      );
    },
    async image(kind) {
      const { rows } = await db.query<ImageMetaRow & { png: Buffer }>(`SELECT ${META_COLUMNS}, png FROM institution_images WHERE kind = $1`, [kind]);
      const r = rows[0];
      return r ? { ...toMeta(r), png: new Uint8Array(r.png) } : null;
    },
    async imageMeta(kind) {
      const { rows } = await db.query<ImageMetaRow>(`SELECT ${META_COLUMNS} FROM institution_images WHERE kind = $1`, [kind]);
      return rows[0] ? toMeta(rows[0]) : null;
    },
    async putImage(image) {
      await db.query(
        `INSERT INTO institution_images (${META_COLUMNS}, png) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (kind) DO UPDATE SET width = EXCLUDED.width, height = EXCLUDED.height, sha256 = EXCLUDED.sha256,
           uploaded_type = EXCLUDED.uploaded_type, uploaded_at = EXCLUDED.uploaded_at, png = EXCLUDED.png`,
        [image.kind, image.width, image.height, image.sha256, image.uploadedType, image.uploadedAt, Buffer.from(image.png)],
      );
    },
    async removeImage(kind) {
      await db.query('DELETE FROM institution_images WHERE kind = $1', [kind]);
    },
  };
}
