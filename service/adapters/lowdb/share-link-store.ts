import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { shareLinksEndedBefore, shareLinkStatus, type ShareLink, type ShareLinkAccess, type ShareLinkStore } from '../../domain/share-links/model.js';
import { Collection } from './collection.js';
import { copy } from './records.js';

export const SHARE_LINKS_FILE = 'share-links.json';
export const SHARE_LINK_ACCESSES_FILE = 'share-link-accesses.json';

const newestFirst =
  <T extends { id: string }>(at: (r: T) => string) =>
  (a: T, b: T) =>
    at(b).localeCompare(at(a)) || b.id.localeCompare(a.id);

const DEFAULT_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

export interface ShareLinkStoreOptions {
  /** Time for the periodic prune (tests pin it). */
  now?: () => Date;
  /** How often links past their retention are deleted with their accesses; 0 disables the timer. Default 10 minutes. */
  pruneIntervalMs?: number;
  /** Where a failed periodic prune is reported. Default: console.error. */
  onPruneError?: (err: unknown) => void;
  /** Runs the periodic prune as a unit of work of the family (unit-of-work.ts); default: as is. */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface LowdbShareLinkStore extends ShareLinkStore {
  /** Resolves once every write requested so far is durable. */
  flush(): Promise<void>;
  /** Stops the prune timer and waits for pending writes. */
  close(): Promise<void>;
}

/** When the link stopped being usable: its revocation, or its expiry if that came first. */
const endedAt = (l: ShareLink): number => Math.min(Date.parse(l.expiresAt), l.revokedAt === null ? Infinity : Date.parse(l.revokedAt));

/**
 * Share links in DATA_DIR/share-links.json, their access log in share-link-accesses.json; a timer
 * deletes those past their retention (SHARE_LINK_RETENTION_DAYS), as the sessions' prune does.
 */
export async function openShareLinkStore(dataDir: string, options: ShareLinkStoreOptions = {}): Promise<LowdbShareLinkStore> {
  await mkdir(dataDir, { recursive: true });
  const links = await Collection.open<ShareLink>(path.join(dataDir, SHARE_LINKS_FILE), (l) => l.id);
  const accesses = await Collection.open<ShareLinkAccess>(path.join(dataDir, SHARE_LINK_ACCESSES_FILE), (a) => a.id);
  const flush = async () => {
    await Promise.all([links.flush(), accesses.flush()]);
  };
  const store: LowdbShareLinkStore = {
    async insert(link, now, maxActive) {
      const at = new Date(now);
      let active = 0;
      for (const l of links.records.values()) if (l.certificateId === link.certificateId && shareLinkStatus(l, at) === 'active') active++;
      if (active >= maxActive || links.records.has(link.id)) return false;
      links.records.set(link.id, copy(link));
      await links.commit();
      return true;
    },
    get: async (id) => copy(links.records.get(id) ?? null),
    async findByTokenHash(tokenHash) {
      for (const l of links.records.values()) if (l.tokenHash === tokenHash) return copy(l);
      return null;
    },
    listForCertificate: async (certificateId) =>
      [...links.records.values()]
        .filter((l) => l.certificateId === certificateId)
        .sort(newestFirst((l) => l.createdAt))
        .map(copy),
    async revoke(id, at) {
      const link = links.records.get(id);
      if (!link || link.revokedAt !== null) return null;
      const next = { ...link, revokedAt: at };
      links.records.set(id, next);
      await links.commit();
      return copy(next);
    },
    async addAccess(access) {
      accesses.records.set(access.id, copy(access));
      await accesses.commit();
    },
    accesses: async (linkId) =>
      [...accesses.records.values()]
        .filter((a) => a.linkId === linkId)
        .sort(newestFirst((a) => a.at))
        .map(copy),
    async openCounts(linkIds) {
      const wanted = new Set(linkIds);
      const counts: Record<string, number> = {};
      for (const a of accesses.records.values()) if (wanted.has(a.linkId) && a.outcome !== 'pinRefused') counts[a.linkId] = (counts[a.linkId] ?? 0) + 1;
      return counts;
    },
    async pruneEnded(endedBefore) {
      const before = Date.parse(endedBefore);
      const ended = new Set<string>();
      for (const l of links.records.values()) if (endedAt(l) < before) ended.add(l.id);
      if (ended.size === 0) return 0;
      const changed = accesses.deleteWhere((a) => ended.has(a.linkId)) > 0 ? [accesses] : [];
      links.deleteWhere((l) => ended.has(l.id));
      await Promise.all([...changed, links].map((c) => c.commit()));
      return ended.size;
    },
    flush,
    async close() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };

  const now = options.now ?? (() => new Date());
  const interval = options.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS;
  const onPruneError = options.onPruneError ?? ((err) => console.error('Shomei share links: pruning ended links failed:', err));
  const exclusive = options.exclusive ?? ((work) => work());
  const timer = interval > 0 ? setInterval(() => exclusive(() => store.pruneEnded(shareLinksEndedBefore(now()))).catch(onPruneError), interval).unref() : null;
  return store;
}
