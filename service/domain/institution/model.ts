/**
 * The institution (大学情報): the university's names, the officer who signs certificates, the
 * official seal (公印) and logo, the office students contact and the supported environments.
 * Everything the service shows as "the university" comes from here; nothing else names one.
 */
import type { Language } from '../model.js';

export type LocalizedText = Record<Language, string>;

/** One line of 動作条件 (supported environments). */
export interface EnvironmentRow {
  category: LocalizedText;
  detail: LocalizedText;
}

export interface InstitutionContact {
  office: LocalizedText;
  phone: string;
  mail: string;
  hours: LocalizedText;
  /** https URL of the office's web page, or null. */
  webUrl: string | null;
}

export interface InstitutionProfile {
  name: LocalizedText;
  /** Short form for headers. */
  shortName: LocalizedText;
  /** The issuing officer (e.g. 学長 / President and their name), printed on every certificate. */
  officer: { title: LocalizedText; name: LocalizedText };
  contact: InstitutionContact;
  environments: EnvironmentRow[];
  updatedAt: string;
}

export type InstitutionImageKind = 'seal' | 'logo';
export const INSTITUTION_IMAGE_KINDS: readonly InstitutionImageKind[] = ['seal', 'logo'];

/** An uploaded image, normalised to PNG (an SVG is rasterised once, at upload). */
export interface InstitutionImage {
  kind: InstitutionImageKind;
  png: Uint8Array;
  width: number;
  height: number;
  /** sha256 of `png` (hex): versions the image's URL and identifies it in the audit log. */
  sha256: string;
  uploadedType: 'image/png' | 'image/svg+xml';
  uploadedAt: string;
}

/** The image without its bytes, for listings and the audit log. */
export type InstitutionImageMeta = Omit<InstitutionImage, 'png'>;

export const metaOf = ({ png: _png, ...meta }: InstitutionImage): InstitutionImageMeta => meta;
