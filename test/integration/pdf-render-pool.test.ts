/**
 * The render pool: certificates rendered and signed in worker threads come out exactly as on the
 * main thread, valid in pdfsig, however many are asked for at once.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../service/adapters/pdf/render-certificate.js';
import { createRenderPool, type RenderPool } from '../../service/adapters/pdf/render-pool.js';
import { createPdfSigner, type PdfSigner } from '../../service/adapters/pdf/signing.js';
import { generateSigningKeys } from '../../service/adapters/pdf/signing-keys.js';
import { addSignatureTimestamp, timestampedSlot } from '../../service/adapters/pdf/signature-timestamp.js';
import { selfSignedKeyPair } from '../../service/adapters/files/key-pair.js';
import { createLocalTsa } from '../../service/adapters/tsa/local-tsa.js';
import { sampleCertificateDocument } from '../support/certificate-documents.js';

let dir: string;
let pool: RenderPool;
let signer: PdfSigner;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-render-pool-'));
  const keys = await generateSigningKeys({ commonName: 'Hokushin Institute of Technology', keySize: 2048 });
  signer = createPdfSigner(keys);
  // Nothing on the main thread here: after warmUp every job must go to a worker.
  pool = createRenderPool({ size: 2, keys, local: () => Promise.reject(new Error('rendered on the main thread')) });
  await pool.warmUp();
}, 60_000);
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the PDF render pool', () => {
  it('renders and signs several certificates at once, each valid and byte for byte what the main thread makes', async () => {
    const base = sampleCertificateDocument('enrollment', 'ja');
    const names = ['山田 花子', '髙橋 﨑子', '𠮷田 一郎', '齋藤 凜'];
    const jobs = names.map((nameKanji, i) => {
      const doc = { ...base, certificateNumber: `C2026-00010${i}`, holder: { ...base.holder, nameKanji } };
      const slot = signer.slot({ reason: `Certificate ${doc.certificateNumber}`, location: 'Japan', signingTime: new Date('2026-11-24T03:00:00Z') });
      return { doc, slot };
    });
    const fromPool = await Promise.all(jobs.map(({ doc, slot }) => pool.produce(doc, slot)));
    for (const [i, { doc, slot }] of jobs.entries()) {
      const local = signer.fill(await renderCertificatePdf(doc, slot), slot);
      expect(Buffer.from(fromPool[i]!).equals(local)).toBe(true);
      const file = path.join(dir, `pool-${i}.pdf`);
      writeFileSync(file, fromPool[i]!);
      expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);
      expect(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout).toContain(names[i]);
    }
  });

  it('renders a delivered certificate in a worker with room for its time-stamp, which is added without breaking the signature', async () => {
    const tsa = createLocalTsa(await selfSignedKeyPair({ commonName: 'Pool TSA', keySize: 2048, validityYears: 1, timeStamping: true }), () => new Date());
    const doc = { ...sampleCertificateDocument('transcript', 'en', 30), digitalDelivery: { submittedTo: 'Hokushin Graduate School Admissions Office' } };
    const slot = timestampedSlot(signer.slot({ reason: 'Certificate', location: 'Japan', signingTime: new Date() }));
    const signed = await pool.produce(doc, slot);
    const file = path.join(dir, 'pool-delivered.pdf');
    writeFileSync(file, await addSignatureTimestamp(Buffer.from(signed), tsa));
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);
    expect(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ')).toContain(
      'Submitted to Hokushin Graduate School Admissions Office',
    );
  });

  it('renders on the calling thread while no worker is ready yet', async () => {
    const keys = await generateSigningKeys({ commonName: 'Hokushin Institute of Technology', keySize: 2048 });
    const cold = createRenderPool({ size: 1, keys, local: async (doc, slot) => signer.fill(await renderCertificatePdf(doc, slot), slot) });
    const doc = sampleCertificateDocument('enrollment', 'en');
    const slot = signer.slot({ reason: 'Certificate', location: 'Japan', signingTime: new Date('2026-11-24T03:00:00Z') });
    const pdf = await cold.produce(doc, slot); // the worker has only just been started
    expect(Buffer.from(pdf).equals(signer.fill(await renderCertificatePdf(doc, slot), slot))).toBe(true);
    await cold.close();
  });

  it('stops a worker that has had nothing to do for a while, and starts it again for the next certificate', async () => {
    const keys = await generateSigningKeys({ commonName: 'Hokushin Institute of Technology', keySize: 2048 });
    let onMainThread = 0;
    const local = async (doc: Parameters<RenderPool['produce']>[0], slot: Parameters<RenderPool['produce']>[1]) => {
      onMainThread += 1;
      return signer.fill(await renderCertificatePdf(doc, slot), slot);
    };
    const resting = createRenderPool({ size: 1, keys, local, idleMs: 300 });
    await resting.warmUp();
    const doc = sampleCertificateDocument('enrollment', 'en');
    const slot = signer.slot({ reason: 'Certificate', location: 'Japan', signingTime: new Date('2026-11-24T03:00:00Z') });
    await resting.produce(doc, slot);
    expect(onMainThread).toBe(0); // the worker did it
    await new Promise((r) => setTimeout(r, 1500));
    await resting.produce(doc, slot); // the worker has stopped: this one is rendered here while a new one starts
    expect(onMainThread).toBe(1);
    await resting.warmUp();
    await resting.produce(doc, slot);
    expect(onMainThread).toBe(1);
    await resting.close();
  }, 60_000);

  it('refuses work once closed', async () => {
    const keys = await generateSigningKeys({ commonName: 'Hokushin Institute of Technology', keySize: 2048 });
    const closed = createRenderPool({ size: 1, keys, local: (doc, slot) => renderCertificatePdf(doc, slot) });
    await closed.close();
    const doc = sampleCertificateDocument('enrollment', 'en');
    await expect(closed.produce(doc, signer.slot({ reason: 'x', location: 'Japan', signingTime: new Date() }))).rejects.toThrow(/closed/);
  });
});
