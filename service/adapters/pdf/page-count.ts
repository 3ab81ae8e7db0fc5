/** Pages of a PDF (the /store simulator shows them per document). */
import { PDFDocument } from 'pdf-lib';

export async function countPdfPages(pdf: Uint8Array): Promise<number> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  return doc.getPageCount();
}
