/**
 * The setup checklist: students can use the service only once the institution profile, its
 * seal, an active certificate type and a signing key that names the institution are in place.
 */
import type { InstitutionImageMeta, InstitutionProfile, LocalizedText } from './model.js';

export type SetupItemCode = 'profile' | 'seal' | 'certificateType' | 'signingKey';
export type SetupProblem = 'missing' | 'subjectMismatch' | 'expired' | 'notYetValid';

export interface SetupItem {
  code: SetupItemCode;
  done: boolean;
  problem: SetupProblem | null;
}

/** The certificate that signs the PDFs, as read from its PEM. */
export interface SigningIdentity {
  source: 'configured' | 'generated';
  /** The whole subject, e.g. `CN=XX University\nO=XX University`. */
  subject: string;
  /** The subject's CN and O values: one of them must be the institution's name (ja or en). */
  names: string[];
  notBefore: string;
  notAfter: string;
}

export interface SetupStatus {
  open: boolean;
  items: SetupItem[];
  signing: SigningIdentity | null;
}

/** NFKC, case and runs of white space do not count when names are compared. */
export const sameName = (a: string, b: string): boolean => normalizeName(a) === normalizeName(b);
const normalizeName = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

export function namesInstitution(identity: SigningIdentity, name: LocalizedText): boolean {
  return identity.names.some((n) => sameName(n, name.en) || sameName(n, name.ja));
}

export function setupStatus(input: {
  profile: InstitutionProfile | null;
  seal: InstitutionImageMeta | null;
  activeTypes: number;
  signing: SigningIdentity | null;
  now: Date;
}): SetupStatus {
  const { profile, seal, activeTypes, signing, now } = input;
  const item = (code: SetupItemCode, problem: SetupProblem | null): SetupItem => ({ code, done: problem === null, problem });
  let signingProblem: SetupProblem | null = null;
  if (!signing) signingProblem = 'missing';
  else if (Date.parse(signing.notAfter) <= now.getTime()) signingProblem = 'expired';
  else if (Date.parse(signing.notBefore) > now.getTime()) signingProblem = 'notYetValid';
  else if (profile && !namesInstitution(signing, profile.name)) signingProblem = 'subjectMismatch';
  const items = [
    item('profile', profile ? null : 'missing'),
    item('seal', seal ? null : 'missing'),
    item('certificateType', activeTypes > 0 ? null : 'missing'),
    // Without a profile there is no name to compare with: the profile item says what to do first.
    item('signingKey', signingProblem),
  ];
  return { open: items.every((i) => i.done), items, signing };
}
