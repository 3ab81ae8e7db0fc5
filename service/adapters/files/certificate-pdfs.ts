/** The signed certificate PDFs: DATA_DIR/certificates/<number>.pdf, written durably (durable-write.ts). */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { CERTIFICATE_NUMBER } from '../../domain/certificates/numbers.js';
import type { CertificatePdfArchive } from '../../domain/certificates/orders.js';
import { writeFileDurably } from './durable-write.js';

export const CERTIFICATE_PDF_DIR = 'certificates';

/** The archive in `dataDir/certificates`; only well-formed certificate numbers name files. */
export function openCertificatePdfArchive(dataDir: string): CertificatePdfArchive & { fileOf(number: string): string } {
  const dir = path.join(dataDir, CERTIFICATE_PDF_DIR);
  const fileOf = (number: string): string => {
    if (!CERTIFICATE_NUMBER.test(number)) throw new RangeError(`not a certificate number: ${number}`);
    return path.join(dir, `${number}.pdf`);
  };
  return {
    fileOf,
    async write(number, pdf) {
      const file = fileOf(number);
      await mkdir(dir, { recursive: true });
      await writeFileDurably(file, pdf, 0o600);
    },
    async read(number) {
      if (!CERTIFICATE_NUMBER.test(number)) return null;
      try {
        return new Uint8Array(await readFile(fileOf(number)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async remove(number) {
      if (!CERTIFICATE_NUMBER.test(number)) return;
      await rm(fileOf(number), { force: true });
    },
  };
}
