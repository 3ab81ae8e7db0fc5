/** The signed certificate PDFs: DATA_DIR/certificates/<number>.pdf, written durably (durable-write.ts). */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CERTIFICATE_NUMBER } from '../../domain/certificates/numbers.js';
import type { CertificatePdfArchive } from '../../domain/certificates/orders.js';
import { PENDING_PDF_SUFFIX } from '../lowdb/journal.js';
import { activeUnit } from '../lowdb/unit-of-work.js';
import { writeFileDurably } from './durable-write.js';

export const CERTIFICATE_PDF_DIR = 'certificates';

/**
 * The archive in `dataDir/certificates`; only well-formed certificate numbers name files. Inside a
 * unit of work of the lowdb family in `dataDir`, a PDF is written under a pending name and put in
 * place when the unit commits (deleted when it rolls back).
 */
export function openCertificatePdfArchive(dataDir: string): CertificatePdfArchive & { fileOf(number: string): string } {
  const root = path.resolve(dataDir);
  const dir = path.join(root, CERTIFICATE_PDF_DIR);
  const fileOf = (number: string): string => {
    if (!CERTIFICATE_NUMBER.test(number)) throw new RangeError(`not a certificate number: ${number}`);
    return path.join(dir, `${number}.pdf`);
  };
  return {
    fileOf,
    async write(number, pdf) {
      const file = fileOf(number);
      await mkdir(dir, { recursive: true });
      const unit = activeUnit(root);
      if (!unit) return writeFileDurably(file, pdf, 0o600);
      const pending = path.join(dir, `.${number}.pdf${PENDING_PDF_SUFFIX}`);
      await writeFileDurably(pending, pdf, 0o600);
      unit.pdfs.set(file, pending);
    },
    async read(number) {
      if (!CERTIFICATE_NUMBER.test(number)) return null;
      // The unit's own PDFs, before it commits.
      const file = activeUnit(root)?.pdfs.get(fileOf(number)) ?? fileOf(number);
      try {
        return new Uint8Array(await readFile(file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}
