/**
 * Share links: a holder hands a certificate to someone (an employer, a school) as a link that ends
 * on a chosen day, may ask for a PIN, and logs every use. Only the hash of the link's token and of
 * its PIN are stored: the holder sees the address once, when the link is made.
 */
import type { ClientBrowser, ClientOs } from '../../shared/share-links.js';

export type { ClientBrowser, ClientOs } from '../../shared/share-links.js';

export interface ShareLink {
  id: string;
  certificateId: string;
  /** The holder: the account the certificate was issued to. */
  accountId: string;
  /** hashSecret of the token in the link's address. */
  tokenHash: string;
  /** hashPassword of the PIN; null when the link has none. */
  pinHash: string | null;
  /** The holder's note (whom it was for); null when none. */
  label: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export type ShareLinkStatus = 'active' | 'expired' | 'revoked';

/**
 * How long a link and its access log are kept after the link ended (revoked, or expired): a while
 * for the holder to look back at who opened it; after that they are of use to no one (the audit log
 * keeps that the link was made and revoked) and the access log would only grow.
 */
export const SHARE_LINK_RETENTION_DAYS = 90;

/** The `endedBefore` of `ShareLinkStore.pruneEnded` at `now`: links that ended before it are past their retention. */
export const shareLinksEndedBefore = (now: Date): string => new Date(now.getTime() - SHARE_LINK_RETENTION_DAYS * 86_400_000).toISOString();

export const shareLinkStatus = (link: Pick<ShareLink, 'expiresAt' | 'revokedAt'>, now: Date): ShareLinkStatus =>
  link.revokedAt !== null ? 'revoked' : link.expiresAt <= now.toISOString() ? 'expired' : 'active';

/** What happened when someone opened a link: saw the status, took the PDF, or typed a wrong PIN. */
export type ShareLinkOutcome = 'viewed' | 'downloaded' | 'pinRefused';

/** One use of a link, as its holder may see it: the time and a coarse client, no address. */
export interface ShareLinkAccess {
  id: string;
  linkId: string;
  at: string;
  browser: ClientBrowser;
  os: ClientOs;
  outcome: ShareLinkOutcome;
}

/** The links and their access log; every method one atomic operation. */
export interface ShareLinkStore {
  /**
   * Inserts `link` unless its certificate has `maxActive` links active at `now` already (not
   * revoked, expiring after `now`), checked and inserted atomically; false then.
   */
  insert(link: ShareLink, now: string, maxActive: number): Promise<boolean>;
  get(id: string): Promise<ShareLink | null>;
  findByTokenHash(tokenHash: string): Promise<ShareLink | null>;
  /** The certificate's links, newest first. */
  listForCertificate(certificateId: string): Promise<ShareLink[]>;
  /** Sets `revokedAt` unless the link is revoked already; the link after, or null (absent or revoked before). */
  revoke(id: string, at: string): Promise<ShareLink | null>;
  addAccess(access: ShareLinkAccess): Promise<void>;
  /** The link's accesses, newest first. */
  accesses(linkId: string): Promise<ShareLinkAccess[]>;
  /** How many accesses of each link (absent: none), outcomes other than `pinRefused`. */
  openCounts(linkIds: readonly string[]): Promise<Record<string, number>>;
  /**
   * Deletes the links that ended (revoked, or expired) before `endedBefore`, with their accesses,
   * in one atomic step; how many links. Run again it finds nothing: two instances may both run it.
   */
  pruneEnded(endedBefore: string): Promise<number>;
}

/** The browser and system a User-Agent names, coarsely: a family each, no version, nothing else kept. */
export function describeClient(userAgent: string | undefined): { browser: ClientBrowser; os: ClientOs } {
  const ua = userAgent ?? '';
  const os: ClientOs = /iPhone|iPod/.test(ua)
    ? 'iphone'
    : /iPad/.test(ua)
      ? 'ipad'
      : /Android/.test(ua)
        ? 'android'
        : /CrOS/.test(ua)
          ? 'chromeos'
          : /Windows/.test(ua)
            ? 'windows'
            : /Macintosh|Mac OS X/.test(ua)
              ? 'macos'
              : /Linux/.test(ua)
                ? 'linux'
                : 'other';
  // Order matters: Edge, Opera and Samsung name Chrome too, and every Chromium names Safari.
  const browser: ClientBrowser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'edge'
    : /OPR\/|Opera/.test(ua)
      ? 'opera'
      : /SamsungBrowser\//.test(ua)
        ? 'samsung'
        : /Firefox\/|FxiOS\//.test(ua)
          ? 'firefox'
          : /Chrome\/|CriOS\/|Chromium\//.test(ua)
            ? 'chrome'
            : /Safari\//.test(ua) && /Version\//.test(ua)
              ? 'safari'
              : 'other';
  return { browser, os };
}
