/**
 * A render-pool worker thread (render-pool.ts): renders and signs certificates with its own signer
 * (the key arrives once, in workerData) and answers each job with the PDF's bytes, transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CertificateDocument } from '../../domain/certificates/document.js';
import type { SignatureSlot } from './certificate-template.js';
import { certificateFontSources } from './fonts.js';
import { renderCertificatePdf } from './render-certificate.js';
import { createPdfSigner, type PdfSignerOptions } from './signing.js';

export interface RenderJob {
  id: number;
  doc: CertificateDocument;
  slot: SignatureSlot;
}

export type RenderReply = { id: number; pdf: Uint8Array } | { id: number; error: string } | { ready: true };

const signer = createPdfSigner(workerData as PdfSignerOptions);
// Parse the fonts and their layout tables before saying ready: until then the pool renders on the main thread.
for (const font of Object.values(certificateFontSources())) font.shape('証明書 Certificate 2026');
parentPort!.postMessage({ ready: true } satisfies RenderReply);
parentPort!.on('message', (job: RenderJob) => {
  renderCertificatePdf(job.doc, job.slot)
    .then((pdf) => {
      const signed = signer.fill(pdf, job.slot);
      const bytes = new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
      // A Buffer may sit in Node's shared pool: transfer only a buffer of its own.
      const own = signed.byteOffset === 0 && signed.byteLength === signed.buffer.byteLength ? bytes : bytes.slice();
      parentPort!.postMessage({ id: job.id, pdf: own } satisfies RenderReply, [own.buffer as ArrayBuffer]);
    })
    .catch((err: unknown) => parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies RenderReply));
});
