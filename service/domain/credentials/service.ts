/**
 * Verifiable credentials of issued certificates: the holder's download (audited), the status
 * lists (computed from the certificate records on every request, so every instance on one
 * database answers the same the moment a revocation commits; verifiers cache it for a minute),
 * the issuer's description, and the check of a pasted credential (rate limited with /verify's
 * number + code check).
 */
import type { AuditEntry, AuditLog } from '../audit.js';
import type { OfflineSigningKey } from '../certificates/offline-payload.js';
import type { CertificateStore } from '../certificates/store.js';
import { normalizeCertificateNumber } from '../certificates/numbers.js';
import { DomainError } from '../errors.js';
import type { Account } from '../model.js';
import type { Clock } from '../ports.js';
import type { RateLimit } from '../rate-limits.js';
import type { LocalizedName } from '../registry/model.js';
import { certificateCredential, credentialUrls, signCredential, statusListCredential, type CredentialUrls } from './credential.js';
import { encodeStatusList, statusIndexCandidates } from './status-list.js';
import { checkCredential, type CredentialCheck } from './verify-credential.js';

/** Lists served: far more than the certificates a university issues (each holds 131,072). */
export const MAX_STATUS_LISTS = 1000;

export interface CredentialService {
  readonly urls: CredentialUrls;
  /** The account's own certificate `number` as a signed credential (audited); another's or an unknown number → `notFound`. */
  download(account: Account, number: string): Promise<{ number: string; credential: string }>;
  /** Status list credential `list` (1 … MAX_STATUS_LISTS, else `notFound`), signed now. */
  statusList(list: number): Promise<string>;
  /** Who signs: the issuer's id, name and the URL of its keys (null name before setup). */
  issuer(): Promise<{ id: string; name: LocalizedName | null; keys: string }>;
  /** A pasted credential checked; `client` rate limited with the number + code check. */
  check(text: string, client: string): Promise<CredentialCheck>;
}

export interface CredentialServiceDeps {
  store: Pick<CertificateStore, 'certificates' | 'types' | 'credentialStatus'>;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  key: OfflineSigningKey;
  publicUrl: string;
  issuerName(): Promise<LocalizedName | null>;
  limiter: RateLimit;
}

export function createCredentialService(deps: CredentialServiceDeps): CredentialService {
  const { store, key } = deps;
  const urls = credentialUrls(deps.publicUrl);
  const issuerName = async (): Promise<LocalizedName> => {
    const name = await deps.issuerName();
    if (!name) throw new DomainError('service.notOpen', {}, 'no institution profile: no credentials');
    return name;
  };
  const statusList = async (list: number): Promise<string> => {
    if (!Number.isInteger(list) || list < 1 || list > MAX_STATUS_LISTS) throw new DomainError('notFound', {}, `status list ${list}`);
    const [name, revoked] = await Promise.all([issuerName(), store.credentialStatus.revokedIndexes()]);
    const credential = statusListCredential({ list, encodedList: encodeStatusList(list, revoked), issuerName: name, urls, now: deps.clock.now() });
    return signCredential(credential, key);
  };
  return {
    urls,
    async download(account, number) {
      const normalized = normalizeCertificateNumber(number);
      const certificate = normalized ? await store.certificates.findByNumber(normalized) : null;
      if (!certificate || certificate.accountId !== account.id) throw new DomainError('notFound', {}, `certificate ${number} of ${account.id}`);
      const [type, name, statusIndex] = await Promise.all([
        store.types.get(certificate.typeCode),
        issuerName(),
        store.credentialStatus.given().then((taken) => store.credentialStatus.indexOf(certificate.id, statusIndexCandidates(taken))),
      ]);
      const typeName = type ? { ja: type.name.ja, en: type.name.en } : { ja: certificate.typeCode, en: certificate.typeCode };
      const credential = signCredential(certificateCredential({ certificate, typeName, issuerName: name, statusIndex, urls }), key);
      const actor: AuditEntry['actor'] = {
        type: account.kind === 'graduate' ? 'graduate' : 'student',
        id: account.id,
        name: account.displayName ?? account.nameKanji ?? account.id,
      };
      await deps.audit.append({
        at: deps.clock.now().toISOString(),
        actor,
        action: 'certificate.credential.downloaded',
        target: { type: 'certificate', id: certificate.number },
        before: null,
        after: { statusIndex },
        note: null,
      });
      return { number: certificate.number, credential };
    },
    statusList,
    async issuer() {
      return { id: urls.issuer, name: await deps.issuerName(), keys: urls.keys };
    },
    async check(text, client) {
      await deps.limiter.hit(client);
      return checkCredential(text, {
        keys: new Map([[key.keyId, key.publicKey]]),
        issuerId: urls.issuer,
        now: deps.clock.now(),
        statusList: async (url) => {
          // Ours only, and only lists that could hold an index a credential of ours names.
          const match = /\/credentials\/status\/(\d{1,4})$/.exec(url);
          const list = match && url === urls.statusList(Number(match[1])) ? Number(match[1]) : null;
          return list !== null && list <= MAX_STATUS_LISTS ? statusList(list) : null;
        },
      });
    },
  };
}
