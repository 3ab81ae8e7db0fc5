/** Replies about the institution and the setup checklist (domain records → contract/institution.ts). */
import type { AdminInstitution, InstitutionImageInfo, InstitutionInfo, SetupStatus as SetupStatusReply } from '../../contract/institution.js';
import type { InstitutionImageKind, InstitutionImageMeta, InstitutionProfile } from '../../domain/institution/model.js';
import type { SetupStatus } from '../../domain/institution/setup.js';

/** The logo is public (headers); the seal only for staff (it is what makes a paper official). */
export const imageUrl = (kind: InstitutionImageKind, meta: InstitutionImageMeta): string =>
  `${kind === 'logo' ? '/api/institution/logo' : '/api/admin/institution/seal'}?v=${meta.sha256.slice(0, 16)}`;

export function institutionInfo(profile: InstitutionProfile, logo: InstitutionImageMeta | null): InstitutionInfo {
  return {
    name: profile.name,
    shortName: profile.shortName,
    contact: profile.contact,
    environments: profile.environments,
    logoUrl: logo ? imageUrl('logo', logo) : null,
  };
}

const imageInfo = (kind: InstitutionImageKind, meta: InstitutionImageMeta | null): InstitutionImageInfo | null =>
  meta && { url: imageUrl(kind, meta), width: meta.width, height: meta.height, uploadedType: meta.uploadedType, uploadedAt: meta.uploadedAt };

export function setupStatusReply(status: SetupStatus): SetupStatusReply {
  return {
    open: status.open,
    items: status.items,
    signingCertificate: status.signing && { source: status.signing.source, subject: status.signing.subject, notAfter: status.signing.notAfter },
  };
}

export function adminInstitution(
  profile: InstitutionProfile | null,
  seal: InstitutionImageMeta | null,
  logo: InstitutionImageMeta | null,
  setup: SetupStatus,
): AdminInstitution {
  return {
    profile: profile && {
      name: profile.name,
      shortName: profile.shortName,
      officer: profile.officer,
      contact: profile.contact,
      environments: profile.environments,
    },
    updatedAt: profile?.updatedAt ?? null,
    seal: imageInfo('seal', seal),
    logo: imageInfo('logo', logo),
    setup: setupStatusReply(setup),
  };
}
