/**
 * The institution profile, its seal and logo: read by every screen, mail and certificate,
 * changed by administrators in the console (each change audited with before and after).
 */
import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { StaffActor } from '../certificates/staff-desk.js';
import { metaOf, type InstitutionImage, type InstitutionImageKind, type InstitutionImageMeta, type InstitutionProfile } from './model.js';
import { ImageDecodeError, type ImageNormalizer, type InstitutionStore } from './ports.js';

/** Uploads larger than this are refused before decoding. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Stored size: enough for 300 dpi at the seal's printed size, small enough for every page. */
const MAX_SIDE: Record<InstitutionImageKind, number> = { seal: 600, logo: 480 };
/** Smaller images print blurred (seal) or unreadable (logo). */
const MIN_SIDE: Record<InstitutionImageKind, number> = { seal: 64, logo: 32 };

export type ProfileInput = Omit<InstitutionProfile, 'updatedAt'>;

export interface InstitutionService {
  profile(): Promise<InstitutionProfile | null>;
  image(kind: InstitutionImageKind): Promise<InstitutionImage | null>;
  imageMeta(kind: InstitutionImageKind): Promise<InstitutionImageMeta | null>;
  updateProfile(input: ProfileInput, by: StaffActor): Promise<InstitutionProfile>;
  /** Validates, normalises and stores an uploaded PNG or SVG. */
  uploadImage(kind: InstitutionImageKind, bytes: Uint8Array, by: StaffActor): Promise<InstitutionImageMeta>;
  removeImage(kind: InstitutionImageKind, by: StaffActor): Promise<void>;
}

/** PNG by its signature; SVG by an `<svg` root after an optional XML declaration, comments and DOCTYPE. */
export function sniffImageType(bytes: Uint8Array): 'image/png' | 'image/svg+xml' | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  const rest = head.replace(/^\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>)\s*)*/i, '');
  return /^<svg[\s>]/.test(rest) ? 'image/svg+xml' : null;
}

/**
 * Checks an upload (size, type, dimensions, something visible) and turns it into the stored PNG.
 * Every failure is a DomainError the administrator can act on.
 */
export async function prepareImage(normalizer: ImageNormalizer, kind: InstitutionImageKind, bytes: Uint8Array, now: Date): Promise<InstitutionImage> {
  if (bytes.length === 0) throw new DomainError('institution.imageInvalid');
  if (bytes.length > MAX_IMAGE_BYTES) throw new DomainError('institution.imageTooLarge', { megabytes: MAX_IMAGE_BYTES / 1024 / 1024 });
  const type = sniffImageType(bytes);
  if (!type) throw new DomainError('institution.imageType');
  if (type === 'image/svg+xml' && /<!DOCTYPE|<!ENTITY/i.test(new TextDecoder().decode(bytes))) {
    // Entities can expand without bound; no seal or logo needs them.
    throw new DomainError('institution.imageInvalid', {}, 'SVG with a DOCTYPE');
  }
  let normalized;
  try {
    normalized = await normalizer.normalize({ bytes, type, maxSide: MAX_SIDE[kind], whiteToTransparent: kind === 'seal' });
  } catch (err) {
    if (err instanceof ImageDecodeError) throw new DomainError('institution.imageInvalid', {}, err.message);
    throw err;
  }
  if (Math.min(normalized.width, normalized.height) < MIN_SIDE[kind]) {
    throw new DomainError('institution.imageTooSmall', { pixels: MIN_SIDE[kind] });
  }
  if (normalized.visiblePixels === 0) throw new DomainError('institution.imageEmpty');
  return {
    kind,
    png: normalized.png,
    width: normalized.width,
    height: normalized.height,
    sha256: createHash('sha256').update(normalized.png).digest('hex'),
    uploadedType: type,
    uploadedAt: now.toISOString(),
  };
}

const requireAdministrator = (by: StaffActor) => {
  if (by.role !== 'administrator') throw new DomainError('auth.forbidden');
};

export function createInstitutionService(deps: {
  store: InstitutionStore;
  normalizer: ImageNormalizer;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
}): InstitutionService {
  const { store, normalizer, audit, clock } = deps;
  const actorOf = (by: StaffActor) => ({ type: 'staff' as const, id: by.id, name: by.name });

  return {
    profile: () => store.profile(),
    image: (kind) => store.image(kind),
    imageMeta: (kind) => store.imageMeta(kind),

    async updateProfile(input, by) {
      requireAdministrator(by);
      const before = await store.profile();
      const profile: InstitutionProfile = { ...input, updatedAt: clock.now().toISOString() };
      await store.putProfile(profile);
      await audit.append({
        at: profile.updatedAt,
        actor: actorOf(by),
        action: 'institution.profile.updated',
        target: { type: 'institution', id: 'profile' },
        before,
        after: profile,
        note: null,
      });
      return profile;
    },

    async uploadImage(kind, bytes, by) {
      requireAdministrator(by);
      const image = await prepareImage(normalizer, kind, bytes, clock.now());
      const before = await store.imageMeta(kind);
      await store.putImage(image);
      const meta = metaOf(image);
      await audit.append({
        at: image.uploadedAt,
        actor: actorOf(by),
        action: `institution.${kind}.uploaded`,
        target: { type: 'institution', id: kind },
        before,
        after: meta,
        note: null,
      });
      return meta;
    },

    async removeImage(kind, by) {
      requireAdministrator(by);
      const before = await store.imageMeta(kind);
      if (!before) return;
      await store.removeImage(kind);
      await audit.append({
        at: clock.now().toISOString(),
        actor: actorOf(by),
        action: `institution.${kind}.removed`,
        target: { type: 'institution', id: kind },
        before,
        after: null,
        note: null,
      });
    },
  };
}
