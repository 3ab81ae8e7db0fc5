import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { shareLinkStatus, type ShareLink, type ShareLinkAccess, type ShareLinkStore } from '../../domain/share-links/model.js';
import { Collection } from './collection.js';
import { copy } from './records.js';

export const SHARE_LINKS_FILE = 'share-links.json';
export const SHARE_LINK_ACCESSES_FILE = 'share-link-accesses.json';

const newestFirst =
  <T extends { id: string }>(at: (r: T) => string) =>
  (a: T, b: T) =>
    at(b).localeCompare(at(a)) || b.id.localeCompare(a.id);

/** Share links in DATA_DIR/share-links.json, their access log in share-link-accesses.json. */
export async function openShareLinkStore(dataDir: string): Promise<ShareLinkStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const links = await Collection.open<ShareLink>(path.join(dataDir, SHARE_LINKS_FILE), (l) => l.id);
  const accesses = await Collection.open<ShareLinkAccess>(path.join(dataDir, SHARE_LINK_ACCESSES_FILE), (a) => a.id);
  return {
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
    flush: async () => {
      await Promise.all([links.flush(), accesses.flush()]);
    },
  };
}
