import { CERTIFICATE_NUMBER } from '../../domain/certificates/numbers.js';
import type { CertificatePdfArchive } from '../../domain/certificates/orders.js';
import type { Queryable } from './queryable.js';

/**
 * The signed certificate PDFs in `certificate_pdfs` (bytea), apart from the rows listings read.
 * A PDF belongs to a certificate (the foreign key is checked at commit: one transaction may write
 * the PDF before its certificate). Only well-formed certificate numbers name PDFs, as on disk.
 */
export function openPostgresCertificatePdfArchive(db: Queryable): CertificatePdfArchive {
  return {
    async write(number, pdf) {
      if (!CERTIFICATE_NUMBER.test(number)) throw new RangeError(`not a certificate number: ${number}`);
      // Durable once the statement's transaction commits (or the caller's, inside a unit of work).
      await db.query('INSERT INTO certificate_pdfs (number, pdf) VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET pdf = EXCLUDED.pdf', [
        number,
        Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength),
      ]);
    },
    async read(number) {
      if (!CERTIFICATE_NUMBER.test(number)) return null;
      const { rows } = await db.query<{ pdf: Buffer }>('SELECT pdf FROM certificate_pdfs WHERE number = $1', [number]);
      return rows[0] ? new Uint8Array(rows[0].pdf) : null;
    },
  };
}
