import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../service/adapters/pdf/signing-keys.js';
import { createHttpTsa } from '../../service/adapters/tsa/http-tsa.js';
import { LOCAL_TSA_POLICY, TSA_CERT_FILE } from '../../service/adapters/tsa/local-tsa.js';
import { openCertificateSigning } from '../../service/certificate-signing.js';
import { loadConfig } from '../../service/config.js';
import type { CertificateDocument } from '../../service/domain/certificates/document.js';
import type { TimestampAuthority } from '../../service/domain/certificates/timestamps.js';
import { systemClock } from '../../service/domain/crypto.js';
import { DomainError } from '../../service/domain/errors.js';
import type { InstitutionService } from '../../service/domain/institution/service.js';
import { ERROR_STATUS } from '../../service/shared/errors.js';
import { openTimestamping } from '../../service/timestamping.js';
import type { CertificateSigning } from '../../service/features/certificates.js';
import { sampleCertificateDocument } from '../support/certificate-documents.js';
import { PDF_ARTIFACTS } from '../support/pdf-workspace.js';
import { freePort } from '../support/ports.js';
import { signatureCms, signatureParts, openssl, sha256, tokenText, verifyWithOpenssl } from '../support/timestamps.js';

const logger = pino({ level: 'silent' });
/** Only the demo signing key's name is read from 大学情報, and these tests configure their key. */
const institution = { profile: async () => null } as unknown as InstitutionService;

const tool = (name: string, ...args: string[]) => spawnSync(name, args, { encoding: 'utf8' });
const flat = (s: string) => s.replace(/\s+/g, '');

const ORGANISATIONS = {
  ja: '株式会社𠮷野髙﨑ホールディングス 人事部 新卒採用グループ',
  en: 'Yoshino Takasaki Holdings Co., Ltd., Human Resources Department, Graduate Recruitment Group',
} as const;

describe('a certificate delivered as a PDF', () => {
  let dir: string;
  let tsaCertFile: string;
  let signing: CertificateSigning;
  let open: (timestamps: TimestampAuthority | null) => Promise<CertificateSigning>;
  const opened: CertificateSigning[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-delivered-'));
    mkdirSync(PDF_ARTIFACTS, { recursive: true });
    const keys = await generateSigningKeys({ commonName: 'Tohto International University', keySize: 2048 });
    writeFileSync(path.join(dir, 'key.pem'), keys.keyPem);
    writeFileSync(path.join(dir, 'cert.pem'), keys.certPem);
    // Demo mode: the built-in time-stamping authority, its key generated into DATA_DIR.
    const config = loadConfig({
      DATA_DIR: path.join(dir, 'data'),
      CERT_SIGNING_KEY: path.join(dir, 'key.pem'),
      CERT_SIGNING_CERT: path.join(dir, 'cert.pem'),
      PDF_WORKERS: '0',
    });
    const timestamping = await openTimestamping({
      config,
      clock: systemClock,
      logger,
      sharedKeys: null,
      demoName: async () => 'Tohto International University',
    });
    tsaCertFile = path.join(config.dataDir, TSA_CERT_FILE);
    open = async (timestamps) => {
      const s = await openCertificateSigning({ config, clock: systemClock, logger, institution, sharedKeys: null, timestamps });
      opened.push(s);
      return s;
    };
    signing = await open(timestamping.authority);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const delivered = (kind: 'graduation' | 'transcript', language: 'ja' | 'en'): CertificateDocument => ({
    ...sampleCertificateDocument(kind, language, 40),
    digitalDelivery: { submittedTo: ORGANISATIONS[language] },
  });

  for (const [kind, language] of [
    ['graduation', 'ja'],
    ['graduation', 'en'],
    ['transcript', 'ja'],
    ['transcript', 'en'],
  ] as const) {
    it(`names its recipient and carries a time-stamp over its signature that openssl verifies (${kind}, ${language})`, async () => {
      const doc = delivered(kind, language);
      const signingTime = new Date();
      const pdf = await signing.producePdf(doc, signingTime);
      const file = path.join(dir, `${kind}-${language}.pdf`);
      writeFileSync(file, pdf);
      copyFileSync(file, path.join(PDF_ARTIFACTS, `delivered-${kind}-${language}.pdf`));

      // The recipient on page 1, rare kanji included, as a reader sees it.
      const page1 = tool('pdftotext', '-f', '1', '-l', '1', file, '-').stdout;
      // Certificates: a line under the title; transcripts: a field of the holder block (label, then value).
      const label = language === 'ja' ? (kind === 'transcript' ? '提出先' : '提出先：') : kind === 'transcript' ? 'Submitted to' : 'Submitted to:';
      expect(flat(page1)).toContain(flat(`${label}${ORGANISATIONS[language]}`));

      // The signature is still valid: the token sits outside the signed bytes.
      const sig = tool('pdfsig', file).stdout;
      expect(sig).toContain('Signature Validation: Signature is Valid.');
      expect(sig).toContain('Total document signed');

      const cms = signatureCms(pdf);
      expect(openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', writeTmp(dir, 'cms.der', cms)).out).toMatch(
        /unsignedAttrs:[\s\S]*id-smime-aa-timeStampToken/,
      );
      const { signature, token } = signatureParts(cms);
      expect(token).not.toBeNull();
      const verified = verifyWithOpenssl(token!, sha256(signature), tsaCertFile, path.join(dir, 'token.der'));
      expect(verified.out).toContain('Verification: OK');
      const stamp = tokenText(token!, path.join(dir, 'token.der'));
      expect(Math.abs(stamp.genTime.getTime() - signingTime.getTime())).toBeLessThan(5_000);
      expect(stamp.policy).toBe(LOCAL_TSA_POLICY);

      // A token over anything else than this signature value does not verify.
      expect(verifyWithOpenssl(token!, sha256(Buffer.concat([signature, Buffer.from([0])])), tsaCertFile, path.join(dir, 'token.der')).ok).toBe(false);
    });
  }

  it('wraps or shrinks a long recipient inside the page, above the holder', async () => {
    const base = sampleCertificateDocument('enrollment', 'ja');
    const long = '国立研究開発法人 科学技術振興機構 戦略的創造研究推進事業 研究領域総括室 若手研究者支援プログラム 採用選考委員会事務局 御中 さらに続く名前';
    const file = path.join(dir, 'long.pdf');
    writeFileSync(file, await signing.producePdf({ ...base, digitalDelivery: { submittedTo: long } }, new Date()));
    const lines = tool('pdftotext', '-bbox-layout', '-f', '1', '-l', '1', file, '-').stdout;
    const boxes = [...lines.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((m) => ({
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
      text: [...m[5]!.matchAll(/>([^<]*)<\/word>/g)].map((w) => w[1]).join(''),
    }));
    const recipient = boxes.filter((b) => b.y0 > 150 && b.y1 < 232 && !b.text.includes('在'));
    expect(flat(recipient.map((b) => b.text).join(''))).toBe(flat(`提出先：${long}`));
    // Inside the frame's margins, below the title, above the name (baseline 240 from the top).
    for (const b of recipient) {
      expect(b.x0).toBeGreaterThanOrEqual(40);
      expect(b.x1).toBeLessThanOrEqual(595 - 40);
      expect(b.y1).toBeLessThan(228);
    }
  });

  it('printed, shows no recipient and carries no time-stamp: the signature is made as always', async () => {
    const doc = sampleCertificateDocument('graduation', 'ja');
    const pdf = await signing.producePdf(doc, new Date());
    const file = path.join(dir, 'printed.pdf');
    writeFileSync(file, pdf);
    expect(tool('pdftotext', file, '-').stdout).not.toContain('提出先');
    expect(tool('pdfsig', file).stdout).toContain('Signature is Valid.');
    expect(signatureParts(signatureCms(pdf)).token).toBeNull();
    // Its placeholder has no room reserved for a token: about 12 KB (24 KB of hex) smaller than a delivered one's.
    const deliveredPdf = await signing.producePdf({ ...doc, digitalDelivery: { submittedTo: 'ACME' } }, new Date());
    expect(deliveredPdf.length - pdf.length).toBeGreaterThan(24_000);
  });

  it('fails with a clear, translated error when the time-stamping authority cannot be reached, none is configured, or its token does not fit', async () => {
    const closedPort = await freePort();
    const down = await open(createHttpTsa({ url: `http://127.0.0.1:${closedPort}/tsa`, trusted: [], timeoutMs: 2_000 }));
    const doc = delivered('graduation', 'en');
    // An authority whose token is far larger than any real one (no room left for it in the placeholder).
    const oversized = await open({ timestamp: async () => new Uint8Array(20_000).fill(0x30) });
    for (const s of [down, await open(null), oversized]) {
      const failure = await s.producePdf(doc, new Date()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(DomainError);
      expect((failure as DomainError).code).toBe('certificate.timestampUnavailable');
      expect(ERROR_STATUS[(failure as DomainError).code]).toBe(503);
    }
    // Printed certificates never ask the authority.
    expect(
      tool('pdfsig', writeTmp(dir, 'printed-down.pdf', await down.producePdf(sampleCertificateDocument('enrollment', 'en'), new Date()))).stdout,
    ).toContain('Signature is Valid.');
  });

  it('in production without TSA_URL has no authority (and serves none), and says so at start', async () => {
    const lines: string[] = [];
    const config = loadConfig({ DATA_DIR: path.join(dir, 'prod'), DEMO: '0', SAML_IDP_METADATA: path.join(dir, 'idp.xml') });
    const timestamping = await openTimestamping({
      config,
      clock: systemClock,
      logger: pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) }),
      sharedKeys: null,
      demoName: async () => 'X',
    });
    expect(timestamping).toEqual({ authority: null, local: null });
    expect(lines.join('')).toContain('TSA_URL is not set');
  });
});

function writeTmp(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
