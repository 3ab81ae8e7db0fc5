import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { renderCertificatePdf } from '../../service/adapters/pdf/render-certificate.js';
import type { CertificateDocument } from '../../service/domain/certificates/document.js';

/** Where renders are kept for people to look at. */
export const PDF_ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts/pdf');

/**
 * A test file's scratch directory for rendered certificates (made before its tests, removed after)
 * and a renderer into it; `artifacts/pdf` exists for the renders a test keeps.
 */
export function pdfWorkspace(name: string) {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), `shomei-${name}-`));
    mkdirSync(PDF_ARTIFACTS, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    /** A path in the scratch directory. */
    file: (fileName: string) => path.join(dir, fileName),
    get dir() {
      return dir;
    },
    /** Renders `doc` to `<name>.pdf` in the scratch directory and returns its path. */
    async render(doc: CertificateDocument, fileName: string): Promise<string> {
      const file = path.join(dir, `${fileName}.pdf`);
      writeFileSync(file, await renderCertificatePdf(doc));
      return file;
    },
  };
}
