import type { ClientBrowser, ClientOs, ShareLink, ShareLinkAccess, ShareLinkOutcome, ShareLinkStore } from '../../domain/share-links/model.js';
import { atomically, isoOf, isoOrNull, type Queryable } from './queryable.js';

interface LinkRow {
  id: string;
  certificate_id: string;
  account_id: string;
  token_hash: string;
  pin_hash: string | null;
  label: string | null;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

interface AccessRow {
  id: string;
  link_id: string;
  at: Date;
  browser: ClientBrowser;
  os: ClientOs;
  outcome: ShareLinkOutcome;
}

const toLink = (r: LinkRow): ShareLink => ({
  id: r.id,
  certificateId: r.certificate_id,
  accountId: r.account_id,
  tokenHash: r.token_hash,
  pinHash: r.pin_hash,
  label: r.label,
  createdAt: isoOf(r.created_at),
  expiresAt: isoOf(r.expires_at),
  revokedAt: isoOrNull(r.revoked_at),
});

const toAccess = (r: AccessRow): ShareLinkAccess => ({ id: r.id, linkId: r.link_id, at: isoOf(r.at), browser: r.browser, os: r.os, outcome: r.outcome });

/** Share links in `share_links`, their access log in `share_link_accesses` (migration 0008). */
export function openPostgresShareLinkStore(db: Queryable): ShareLinkStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await db.query<LinkRow>(sql, params);
    return rows[0] ? toLink(rows[0]) : null;
  };
  return {
    insert: (l, now, maxActive) =>
      atomically(db, async (tx) => {
        // The certificate's row lock makes count-then-insert one step among concurrent creations.
        await tx.query('SELECT 1 FROM certificates WHERE id = $1 FOR UPDATE', [l.certificateId]);
        const { rows } = await tx.query<{ n: string }>(
          'SELECT count(*) AS n FROM share_links WHERE certificate_id = $1 AND revoked_at IS NULL AND expires_at > $2',
          [l.certificateId, now],
        );
        if (Number(rows[0]!.n) >= maxActive) return false;
        const { rowCount } = await tx.query(
          `INSERT INTO share_links (id, certificate_id, account_id, token_hash, pin_hash, label, created_at, expires_at, revoked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [l.id, l.certificateId, l.accountId, l.tokenHash, l.pinHash, l.label, l.createdAt, l.expiresAt, l.revokedAt],
        );
        return rowCount === 1;
      }),
    get: (id) => one('SELECT * FROM share_links WHERE id = $1', [id]),
    findByTokenHash: (hash) => one('SELECT * FROM share_links WHERE token_hash = $1', [hash]),
    async listForCertificate(certificateId) {
      const { rows } = await db.query<LinkRow>('SELECT * FROM share_links WHERE certificate_id = $1 ORDER BY created_at DESC, id DESC', [certificateId]);
      return rows.map(toLink);
    },
    revoke: (id, at) => one('UPDATE share_links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING *', [id, at]),
    async addAccess(a) {
      await db.query('INSERT INTO share_link_accesses (id, link_id, at, browser, os, outcome) VALUES ($1, $2, $3, $4, $5, $6)', [
        a.id,
        a.linkId,
        a.at,
        a.browser,
        a.os,
        a.outcome,
      ]);
    },
    async accesses(linkId) {
      const { rows } = await db.query<AccessRow>('SELECT * FROM share_link_accesses WHERE link_id = $1 ORDER BY at DESC, id DESC', [linkId]);
      return rows.map(toAccess);
    },
    async openCounts(linkIds) {
      if (linkIds.length === 0) return {};
      const { rows } = await db.query<{ link_id: string; n: string }>(
        "SELECT link_id, count(*) AS n FROM share_link_accesses WHERE link_id = ANY($1) AND outcome <> 'pinRefused' GROUP BY link_id",
        [[...linkIds]],
      );
      return Object.fromEntries(rows.map((r) => [r.link_id, Number(r.n)]));
    },
    pruneEnded: (endedBefore) =>
      // The accesses first (they reference their link); a second run, or another instance's, finds nothing left.
      atomically(db, async (tx) => {
        await tx.query('DELETE FROM share_link_accesses a USING share_links l WHERE a.link_id = l.id AND (l.revoked_at < $1 OR l.expires_at < $1)', [
          endedBefore,
        ]);
        const { rowCount } = await tx.query('DELETE FROM share_links WHERE revoked_at < $1 OR expires_at < $1', [endedBefore]);
        return rowCount ?? 0;
      }),
  };
}
