/** What the institution needs from the outside: its store and an image decoder. */
import type { InstitutionImage, InstitutionImageKind, InstitutionImageMeta, InstitutionProfile } from './model.js';

export interface InstitutionStore {
  profile(): Promise<InstitutionProfile | null>;
  putProfile(profile: InstitutionProfile): Promise<void>;
  image(kind: InstitutionImageKind): Promise<InstitutionImage | null>;
  imageMeta(kind: InstitutionImageKind): Promise<InstitutionImageMeta | null>;
  putImage(image: InstitutionImage): Promise<void>;
  removeImage(kind: InstitutionImageKind): Promise<void>;
}

export interface NormalizedImage {
  /** 8-bit RGBA PNG. */
  png: Uint8Array;
  width: number;
  height: number;
  /** Pixels that are not (almost) fully transparent: an image without any shows nothing. */
  visiblePixels: number;
}

/**
 * Turns an upload into a PNG the PDF renderer and every browser can show: a PNG is decoded and
 * re-encoded, an SVG rendered (no scripts, no external resources). Throws `ImageDecodeError`
 * when the bytes are not a readable image.
 */
export interface ImageNormalizer {
  normalize(input: {
    bytes: Uint8Array;
    type: 'image/png' | 'image/svg+xml';
    /** The longer side is scaled down to this many pixels (never up). */
    maxSide: number;
    /** Scanned seals come on white paper: make near-white pixels transparent. */
    whiteToTransparent: boolean;
  }): Promise<NormalizedImage>;
}

export class ImageDecodeError extends Error {}
