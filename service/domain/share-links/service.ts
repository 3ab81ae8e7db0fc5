/**
 * Share links, the holder's side (make, list, read the log, revoke: own certificates only) and the
 * recipient's (open by token, PIN when set, the status and the signed PDF). A link works only while
 * it is not revoked, not expired and its certificate is valid: revoking the certificate ends every
 * link to it by this rule, with nothing to update.
 */
import type { AuditLog } from '../audit.js';
import type { IssuedCertificate } from '../certificates/model.js';
import type { CertificatePdfArchive } from '../certificates/orders.js';
import type { CertificateStore } from '../certificates/store.js';
import { hashSecret } from '../crypto.js';
import { DomainError } from '../errors.js';
import type { Account } from '../model.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import type { Clock, Random } from '../ports.js';
import { RateLimit, type RateLimitRule, type RateLimitStore } from '../rate-limits.js';
import { createLoginThrottle, type LoginThrottleStore, type ThrottlePolicy } from '../staff/throttle.js';
import type { UnitOfWork } from '../stores.js';
import { verifyCertificate, type Verification } from '../verify/public-verification.js';
import { normalizeCertificateNumber } from '../certificates/numbers.js';
import { normalizePin, SHARE_LINKS_ACTIVE_MAX, shareLinkInputErrors, type ShareLinkInput } from '../../shared/share-links.js';
import { describeClient, shareLinkStatus, type ShareLink, type ShareLinkAccess, type ShareLinkStatus, type ShareLinkStore } from './model.js';

/** Bytes of randomness in a link's token (256 bits). */
const TOKEN_BYTES = 32;

/** Wrong PINs: five per link (or per client, over all links) lock it for 15 minutes. */
export const SHARE_PIN_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  lockAfterFailures: 5,
  lockSeconds: 15 * 60,
  forgetAfterSeconds: 15 * 60,
};
/** Opening links per client IP: 60 requests in any 10 minutes. */
export const DEFAULT_SHARE_RATE_LIMIT: RateLimitRule = { limit: 60, windowSeconds: 600 };

export interface HolderShareLink {
  link: ShareLink;
  status: ShareLinkStatus;
  /** Views and downloads so far. */
  opens: number;
}

/** A link's certificate as the holder sees it on the share screen. */
export interface HolderShareLinks {
  certificate: IssuedCertificate;
  links: HolderShareLink[];
}

/** Who opens a link: the client IP (limits only, never shown) and its User-Agent (described coarsely in the log). */
export interface ShareClient {
  ip: string;
  userAgent: string | undefined;
}

/** An opened link: the verification as /verify would answer it (always `valid`: other links are refused). */
export interface OpenedShare {
  link: ShareLink;
  verification: Extract<Verification, { status: 'valid' | 'revoked' }>;
}

export interface ShareLinkService {
  list(account: Account, certificateNumber: string): Promise<HolderShareLinks>;
  create(account: Account, certificateNumber: string, input: ShareLinkInput): Promise<{ link: HolderShareLink; token: string }>;
  accesses(account: Account, linkId: string): Promise<{ link: HolderShareLink; accesses: ShareLinkAccess[] }>;
  revoke(account: Account, linkId: string): Promise<HolderShareLink>;
  /** The recipient opens the link (`viewed`) or takes the PDF (`downloaded`). */
  open(token: string, pin: string | null, client: ShareClient): Promise<OpenedShare>;
  document(token: string, pin: string | null, client: ShareClient): Promise<{ number: string; pdf: Uint8Array }>;
}

export interface ShareLinkDeps {
  links: ShareLinkStore;
  certificates: Pick<CertificateStore, 'certificates' | 'types'>;
  pdfs: Pick<CertificatePdfArchive, 'read'>;
  transaction: UnitOfWork['transaction'];
  audit: AuditLog;
  clock: Clock;
  random: Random;
  rateLimits: RateLimitStore;
  throttles: LoginThrottleStore;
  rateLimit?: RateLimitRule;
}

const studentActor = (account: Account) => ({ type: 'student' as const, id: account.id, name: account.displayName ?? account.id });
/** The link's fields in audit entries: never the token's or PIN's hash. */
const auditView = (link: ShareLink) => ({
  id: link.id,
  certificateId: link.certificateId,
  label: link.label,
  pin: link.pinHash !== null,
  expiresAt: link.expiresAt,
  revokedAt: link.revokedAt,
});

export function createShareLinkService(deps: ShareLinkDeps): ShareLinkService {
  const { links, clock, random } = deps;
  const limiter = new RateLimit(deps.rateLimits, clock, 'share-link', deps.rateLimit ?? DEFAULT_SHARE_RATE_LIMIT, 'shareLink.rateLimited');
  const byLink = createLoginThrottle({ store: deps.throttles, clock, name: 'share-pin-link', policy: SHARE_PIN_THROTTLE });
  const byClient = createLoginThrottle({
    store: deps.throttles,
    clock,
    name: 'share-pin-client',
    policy: { ...SHARE_PIN_THROTTLE, lockAfterFailures: 20, freeFailures: 20 },
  });

  /** The account's own certificate; any other (or none) is not found: its existence is not theirs to know. */
  async function ownCertificate(account: Account, number: string): Promise<IssuedCertificate> {
    const normalized = normalizeCertificateNumber(number);
    const certificate = normalized ? await deps.certificates.certificates.findByNumber(normalized) : null;
    if (!certificate || certificate.accountId !== account.id) throw new DomainError('certificate.notFound', {}, `certificate ${number}`);
    return certificate;
  }
  async function ownLink(account: Account, id: string): Promise<ShareLink> {
    const link = await links.get(id);
    if (!link || link.accountId !== account.id) throw new DomainError('shareLink.notFound', {}, `share link ${id}`);
    return link;
  }
  const holderView = async (link: ShareLink): Promise<HolderShareLink> => ({
    link,
    status: shareLinkStatus(link, clock.now()),
    opens: (await links.openCounts([link.id]))[link.id] ?? 0,
  });
  const record = (link: ShareLink, client: ShareClient, outcome: ShareLinkAccess['outcome']) =>
    links.addAccess({ id: random.id(), linkId: link.id, at: clock.now().toISOString(), ...describeClient(client.userAgent), outcome });

  const locked = (seconds: number) => new DomainError('shareLink.pinLocked', { minutes: Math.max(1, Math.ceil(seconds / 60)) });

  /** The link behind `token` if it may be used now, its PIN checked; else the refusal the recipient sees. */
  async function usable(token: string, pin: string | null, client: ShareClient): Promise<{ link: ShareLink; certificate: IssuedCertificate }> {
    await limiter.hit(client.ip);
    const link = token ? await links.findByTokenHash(hashSecret(token)) : null;
    if (!link) throw new DomainError('shareLink.notFound', {}, 'unknown share token');
    const status = shareLinkStatus(link, clock.now());
    if (status === 'revoked') throw new DomainError('shareLink.revoked', {}, link.id);
    if (status === 'expired') throw new DomainError('shareLink.expired', {}, link.id);
    const certificate = await deps.certificates.certificates.get(link.certificateId);
    if (!certificate || certificate.status !== 'valid') throw new DomainError('shareLink.certificateRevoked', {}, link.id);
    if (link.pinHash !== null) {
      const typed = normalizePin(pin);
      if (typed === null) throw new DomainError('shareLink.pinRequired', {}, link.id);
      for (const [throttle, key] of [
        [byLink, link.id],
        [byClient, client.ip],
      ] as const) {
        const verdict = await throttle.check(key);
        if (!verdict.allowed) throw locked(verdict.retryAfterSeconds);
      }
      if (!(await verifyPassword(typed, link.pinHash))) {
        await record(link, client, 'pinRefused');
        const [linkLocked, clientLocked] = [await byLink.fail(link.id), await byClient.fail(client.ip)];
        if (linkLocked || clientLocked) throw locked(SHARE_PIN_THROTTLE.lockSeconds);
        throw new DomainError('shareLink.pinWrong', {}, link.id);
      }
      await byLink.succeed(link.id);
    }
    return { link, certificate };
  }

  return {
    async list(account, number) {
      const certificate = await ownCertificate(account, number);
      const all = await links.listForCertificate(certificate.id);
      const counts = await links.openCounts(all.map((l) => l.id));
      const now = clock.now();
      // A revoked certificate ends every link to it: none is listed as still usable.
      const statusOf = (link: ShareLink): ShareLinkStatus => (certificate.status === 'valid' ? shareLinkStatus(link, now) : 'revoked');
      return { certificate, links: all.map((link) => ({ link, status: statusOf(link), opens: counts[link.id] ?? 0 })) };
    },

    async create(account, number, input) {
      const fields = shareLinkInputErrors(input);
      if (Object.keys(fields).length > 0) throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
      const certificate = await ownCertificate(account, number);
      if (certificate.status !== 'valid') throw new DomainError('shareLink.certificateRevoked', {}, certificate.number);
      const pin = normalizePin(input.pin);
      const label = (input.label ?? '').trim();
      const now = clock.now();
      const token = random.token(TOKEN_BYTES);
      const link: ShareLink = {
        id: random.id(),
        certificateId: certificate.id,
        accountId: account.id,
        tokenHash: hashSecret(token),
        pinHash: pin === null ? null : await hashPassword(pin),
        label: label === '' ? null : label,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + input.days * 86_400_000).toISOString(),
        revokedAt: null,
      };
      await deps.transaction(async (tx) => {
        if (!(await tx.shareLinks.insert(link, now.toISOString(), SHARE_LINKS_ACTIVE_MAX))) {
          throw new DomainError('shareLink.tooMany', { max: SHARE_LINKS_ACTIVE_MAX }, certificate.number);
        }
        await tx.audit.append({
          at: now.toISOString(),
          actor: studentActor(account),
          action: 'certificate.shareLink.created',
          target: { type: 'certificate', id: certificate.number },
          before: null,
          after: auditView(link),
          note: null,
        });
      });
      return { link: { link, status: 'active', opens: 0 }, token };
    },

    async accesses(account, linkId) {
      const link = await ownLink(account, linkId);
      return { link: await holderView(link), accesses: await links.accesses(link.id) };
    },

    async revoke(account, linkId) {
      const link = await ownLink(account, linkId);
      if (link.revokedAt !== null) return holderView(link);
      const at = clock.now().toISOString();
      const revoked = await deps.transaction(async (tx) => {
        const after = await tx.shareLinks.revoke(link.id, at);
        // Revoked meanwhile (another tab): nothing more to record.
        if (!after) return null;
        const certificate = await tx.certificates.certificates.get(link.certificateId);
        await tx.audit.append({
          at,
          actor: studentActor(account),
          action: 'certificate.shareLink.revoked',
          target: { type: 'certificate', id: certificate?.number ?? link.certificateId },
          before: auditView(link),
          after: auditView(after),
          note: null,
        });
        return after;
      });
      return holderView(revoked ?? (await ownLink(account, linkId)));
    },

    async open(token, pin, client) {
      const { link, certificate } = await usable(token, pin, client);
      const verification = await verifyCertificate(deps.certificates, certificate.number, certificate.verificationCode);
      if (verification.status === 'unknown') throw new DomainError('shareLink.certificateRevoked', {}, link.id);
      await record(link, client, 'viewed');
      return { link, verification };
    },

    async document(token, pin, client) {
      const { link, certificate } = await usable(token, pin, client);
      const pdf = await deps.pdfs.read(certificate.number);
      if (!pdf) throw new DomainError('shareLink.documentMissing', {}, certificate.number);
      await record(link, client, 'downloaded');
      return { number: certificate.number, pdf };
    },
  };
}
