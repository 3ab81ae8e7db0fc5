import type { CertificateStore } from '../../domain/certificates/store.js';
import type { Queryable } from './queryable.js';

/**
 * The status list indexes in `credential_status`, both columns unique: an insert that meets either
 * constraint does nothing, and then either another caller has just given this certificate its
 * index (read it) or the candidate is taken (try the next). Two instances at once get the same.
 */
export function postgresCredentialStatus(db: Queryable): CertificateStore['credentialStatus'] {
  return {
    async indexOf(certificateId, candidates) {
      const select = async () =>
        (await db.query<{ status_index: number }>('SELECT status_index FROM credential_status WHERE certificate_id = $1', [certificateId])).rows[0]
          ?.status_index;
      const existing = await select();
      if (existing !== undefined) return existing;
      for (const candidate of candidates) {
        const inserted = await db.query<{ status_index: number }>(
          'INSERT INTO credential_status (certificate_id, status_index) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING status_index',
          [certificateId, candidate],
        );
        const index = inserted.rows[0]?.status_index ?? (await select());
        if (index !== undefined) return index;
      }
      throw new Error(`no free status index for ${certificateId} among ${candidates.length} candidates`);
    },
    async given() {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM credential_status');
      return rows[0]!.n;
    },
    async revokedIndexes() {
      const { rows } = await db.query<{ status_index: number }>(
        "SELECT s.status_index FROM credential_status s JOIN certificates c ON c.id = s.certificate_id WHERE c.status = 'revoked'",
        [],
      );
      return rows.map((r) => r.status_index);
    },
  };
}
