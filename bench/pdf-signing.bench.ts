/**
 * npm run bench pdf-signing — the cost of signing a certificate PDF (PAdES B-B) with the
 * node:crypto signer, and of the CMS alone compared with node-forge's PKCS#7 (RSA in
 * JavaScript, which is what @signpdf/signer-p12 does inside, besides re-decoding its P12).
 * Prints numbers, asserts nothing.
 */
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { buildSignedData, prepareCertificate } from '../service/adapters/pdf/cms.js';
import { createPdfSigner } from '../service/adapters/pdf/signing.js';
import { generateSigningKeys } from '../service/adapters/pdf/signing-keys.js';
import { createPrivateKey } from 'node:crypto';
import { measure, report } from './measure.js';

const doc = await PDFDocument.create();
const font = await doc.embedFont(StandardFonts.Helvetica);
for (let i = 0; i < 3; i += 1) {
  const page = doc.addPage([595.28, 841.89]);
  for (let line = 0; line < 40; line += 1)
    page.drawText(`Certificate of Enrollment, page ${i + 1}, line ${line + 1}`, { x: 60, y: 780 - line * 18, size: 11, font });
}
const pdf = await doc.save();
const info = { reason: 'Certificate issued by Demo University', location: 'Tokyo, Japan', signingTime: new Date() };
const content = Buffer.alloc(40_000, 1);

for (const keySize of [2048, 3072] as const) {
  const keys = await generateSigningKeys({ commonName: 'Demo University', keySize });
  const signer = createPdfSigner(keys);
  const key = createPrivateKey(keys.keyPem);
  const certificate = prepareCertificate(keys.certPem);
  const forgeKey = forge.pki.privateKeyFromPem(keys.keyPem);
  const forgeCert = forge.pki.certificateFromPem(keys.certPem);
  const forgeContent = forge.util.createBuffer(content.toString('binary'));

  report(`PDF signing, RSA ${keySize}, ${Math.round(pdf.length / 1024)} KiB 3-page PDF`, [
    await measure('sign a PDF (load + placeholder + save + CMS, node:crypto)', 100, () => signer.sign(pdf, info)),
    await measure('CMS only, node:crypto RSA (this signer)', 200, async () => buildSignedData({ content, signingTime: info.signingTime, key, certificate })),
    await measure('CMS only, node-forge pkcs7 RSA in JS (as @signpdf/signer-p12)', keySize === 2048 ? 50 : 20, async () => {
      const p7 = forge.pkcs7.createSignedData();
      p7.content = forgeContent;
      p7.addCertificate(forgeCert);
      p7.addSigner({
        key: forgeKey,
        certificate: forgeCert,
        digestAlgorithm: forge.pki.oids.sha256!,
        authenticatedAttributes: [
          { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
          { type: forge.pki.oids.signingTime!, value: info.signingTime as unknown as string },
          { type: forge.pki.oids.messageDigest! },
        ],
      });
      p7.sign({ detached: true });
      return forge.asn1.toDer(p7.toAsn1()).getBytes();
    }),
  ]);
}
