import type { CertificateStore } from '../../domain/certificates/store.js';
import type { Queryable } from './queryable.js';

/**
 * The status list indexes in `credential_status`: an identity column gives the next one; of two
 * instances inserting for one certificate at once, the primary key keeps the first, and both read it.
 */
export function postgresCredentialStatus(db: Queryable): CertificateStore['credentialStatus'] {
  return {
    async indexOf(certificateId) {
      const select = async () =>
        (await db.query<{ status_index: number }>('SELECT status_index FROM credential_status WHERE certificate_id = $1', [certificateId])).rows[0]
          ?.status_index;
      // Read first: an insert that meets a conflict still uses up a value of the identity.
      const existing = await select();
      if (existing !== undefined) return existing;
      const inserted = await db.query<{ status_index: number }>(
        'INSERT INTO credential_status (certificate_id) VALUES ($1) ON CONFLICT (certificate_id) DO NOTHING RETURNING status_index',
        [certificateId],
      );
      const index = inserted.rows[0]?.status_index ?? (await select());
      if (index === undefined) throw new Error(`no status index for ${certificateId}`);
      return index;
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
