/**
 * npm run bench — certificate PDF rendering (prepared templates, Noto Sans JP subsets): time
 * and heap for a one-page certificate and a 60-course transcript, ja and en. The first render
 * includes reading and parsing the fonts once per process; that cost is printed separately.
 * Asserts nothing; signing is measured in pdf-signing.bench.ts.
 */
import { performance } from 'node:perf_hooks';
import { certificateFontSources } from '../service/adapters/pdf/fonts.js';
import { renderCertificatePdf } from '../service/adapters/pdf/render-certificate.js';
import { sampleCertificateDocument } from '../test/support/certificate-documents.js';
import { measure, report } from './measure.js';

const heapBefore = process.memoryUsage().heapUsed;
const t = performance.now();
certificateFontSources();
const fontsMs = performance.now() - t;
console.log(
  `read + parse the two fonts once: ${fontsMs.toFixed(0)} ms, heap +${Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20)} MiB, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
);

const sizes: Record<string, number> = {};
const rows = [];
for (const language of ['ja', 'en'] as const) {
  const enrollment = sampleCertificateDocument('enrollment', language);
  const transcript = sampleCertificateDocument('transcript', language, 60);
  sizes[`enrollment ${language}`] = (await renderCertificatePdf(enrollment)).length;
  sizes[`transcript 60 ${language}`] = (await renderCertificatePdf(transcript)).length;
  rows.push(await measure(`1-page certificate (${language})`, 60, () => renderCertificatePdf(enrollment)));
  rows.push(await measure(`60-course transcript (${language})`, 20, () => renderCertificatePdf(transcript)));
}
report('certificate PDF rendering (unsigned)', rows);
console.log('PDF sizes (bytes):', sizes, `rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
