/**
 * npm run bench pdf-certificates — signed certificates (compose + render + sign, one save), per
 * second per core, beside the ceiling of the libraries used before (pdf-lib + fontkit 2, tuned:
 * bench/pdf-lib-ceiling.ts) measured in the same run, and the render pool's throughput on all
 * cores. Per core = documents per CPU-second of this process, which holds on a machine shared
 * with other work; medians of interleaved rounds. Prints a table and writes its section of
 * bench/results.md. Asserts nothing.
 */
import os from 'node:os';
import { composeCertificate } from '../service/domain/certificates/compose.js';
import type { CertificateType } from '../service/domain/certificates/model.js';
import type { StudentRecord } from '../service/domain/registry/model.js';
import { renderCertificatePdf } from '../service/adapters/pdf/render-certificate.js';
import { createRenderPool } from '../service/adapters/pdf/render-pool.js';
import { createPdfSigner } from '../service/adapters/pdf/signing.js';
import { generateSigningKeys } from '../service/adapters/pdf/signing-keys.js';
import { sampleSeal } from '../test/support/certificate-documents.js';
import { renderWithPdfLib } from './pdf-lib-ceiling.js';
import { writeSection } from './results.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500);
const GOAL = 200;

const keys = await generateSigningKeys({ commonName: 'Tohto International University', keySize: 2048 });
const signer = createPdfSigner(keys);
const seal = sampleSeal();
const NAMES = ['山田 花子', '髙橋 一郎', '𠮷田 﨑子', '齋藤 凜', '渡邊 鷗外', '佐藤 健', '鈴木 美咲', '田中 翔太'];
const type: CertificateType = {
  code: 'enrollment',
  name: { ja: '在学証明書', en: 'Certificate of Enrollment' },
  template: 'enrollment',
  languages: ['ja', 'en'],
  eligibleStatuses: ['enrolled'],
  requiresGraduationDateWithinMonths: null,
  destinations: ['convenience'],
  maxCopies: 10,
  validityMonths: null,
  fee: 200,
  active: true,
  sortOrder: 1,
};

/** The i-th order's document: another student (name, ID, number) each time, ja and en in turn. */
function compose(i: number) {
  const student: StudentRecord = {
    studentId: `24T${String(1000 + (i % 9000))}A`,
    nameKanji: NAMES[i % NAMES.length]!,
    nameKana: 'ヤマダ ハナコ',
    nameRoman: 'Hanako YAMADA',
    birthDate: '2004-04-02',
    universityCode: 'TOHTO',
    universityName: { ja: '東都国際大学', en: 'Tohto International University' },
    facultyCode: 'SCI',
    facultyName: { ja: '理工学部', en: 'Faculty of Science and Engineering' },
    departmentCode: 'CS',
    departmentName: { ja: '情報工学科', en: 'Department of Computer Science and Engineering' },
    enrollmentDate: '2024-04-01',
    status: 'enrolled',
    graduationDate: '2028-03-25',
    degree: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const number = `C2026-${String(i).padStart(6, '0')}`;
  return composeCertificate({
    student,
    grades: [],
    type,
    language: i % 2 === 0 ? 'ja' : 'en',
    issueDate: '2026-11-24',
    validUntil: null,
    certificateNumber: number,
    verificationCode: `K7QF${String(i % 100000).padStart(6, '0')}`,
    issuer: {
      name: { ja: '東都国際大学', en: 'Tohto International University' },
      officer: { title: { ja: '学長', en: 'President' }, name: { ja: '佐藤 健一', en: 'Kenichi SATO' } },
      seal,
    },
    verifyUrl: 'https://shomei.example.ac.jp/verify',
    qrPayload: `https://shomei.example.ac.jp/verify#v1.${number}.eyJhIjoiYiIsImMiOiJkIn0.${'c2lnbmF0dXJl'.repeat(7)}`,
  });
}

type Render = (doc: ReturnType<typeof compose>, slot: ReturnType<typeof signer.slot>) => Promise<Buffer>;
const ours: Render = (doc, slot) => renderCertificatePdf(doc, slot);
const ceiling: Render = (doc, slot) => renderWithPdfLib(doc, slot);

let counter = 0;
async function one(render: Render): Promise<void> {
  const doc = compose(counter++);
  const slot = signer.slot({ reason: `Certificate ${doc.certificateNumber}`, location: 'Japan', signingTime: new Date() });
  signer.fill(await render(doc, slot), slot);
}

/** Signed documents per CPU-second (one core) and per wall-clock second, over about `ms`. */
async function round(render: Render, ms: number): Promise<{ perCpuSecond: number; perSecond: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await one(render);
    n += 1;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { perCpuSecond: n / ((used.user + used.system) / 1e6), perSecond: n / wall };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (let i = 0; i < 30; i += 1) {
  await one(ours);
  await one(ceiling);
}
const oursRounds: { perCpuSecond: number; perSecond: number }[] = [];
const ceilingRounds: { perCpuSecond: number; perSecond: number }[] = [];
for (let r = 0; r < ROUNDS; r += 1) {
  oursRounds.push(await round(ours, ROUND_MS));
  ceilingRounds.push(await round(ceiling, ROUND_MS));
}
const oursPerCore = median(oursRounds.map((r) => r.perCpuSecond));
const ceilingPerCore = median(ceilingRounds.map((r) => r.perCpuSecond));

// The pool: as many workers as cores, kept busy (4 jobs in flight per worker).
const cores = os.availableParallelism();
const pool = createRenderPool({ size: cores, keys, local: (doc, slot) => ours(doc, slot).then((pdf) => signer.fill(pdf, slot)) });
await pool.warmUp();
async function poolRound(ms: number): Promise<{ perCpuSecond: number; perSecond: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let done = 0;
  const lane = async () => {
    while (performance.now() - start < ms) {
      const doc = compose(counter++);
      await pool.produce(doc, signer.slot({ reason: `Certificate ${doc.certificateNumber}`, location: 'Japan', signingTime: new Date() }));
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: cores * 4 }, lane));
  const used = process.cpuUsage(cpu); // every thread of the process: the workers and the main thread
  return { perCpuSecond: done / ((used.user + used.system) / 1e6), perSecond: done / ((performance.now() - start) / 1000) };
}
await poolRound(500);
const poolRounds: { perCpuSecond: number; perSecond: number }[] = [];
for (let r = 0; r < Math.max(3, Math.ceil(ROUNDS / 2)); r += 1) poolRounds.push(await poolRound(ROUND_MS * 2));
await pool.close();
const poolPerSecond = median(poolRounds.map((r) => r.perSecond));
const poolPerCore = median(poolRounds.map((r) => r.perCpuSecond));
const oursWall = median(oursRounds.map((r) => r.perSecond));

const f = (n: number) => n.toFixed(0);
const rows = [
  '| figure | ours | ceiling measured beside it | ratio | goal | met? |',
  '|---|---|---|---|---|---|',
  `| signed certificates (compose + render + sign, one save), per core | ${f(oursPerCore)} / s | pdf-lib + fontkit 2 tuned: ${f(ceilingPerCore)} / s | ${(oursPerCore / ceilingPerCore).toFixed(2)} × | ≥ ${GOAL} / s / core | ${oursPerCore >= GOAL ? 'yes' : 'no'} |`,
  `| same, wall clock on this (shared) machine, one thread | ${f(oursWall)} / s | ${f(median(ceilingRounds.map((r) => r.perSecond)))} / s | ${(oursWall / median(ceilingRounds.map((r) => r.perSecond))).toFixed(2)} × | | |`,
  `| render pool, ${cores} workers (all cores), wall clock | ${f(poolPerSecond)} / s | the same code on one thread, wall: ${f(oursWall)} / s | ${(poolPerSecond / oursWall).toFixed(2)} × | every core renders (> 1 ×) | ${poolPerSecond > oursWall ? 'yes' : 'no'} |`,
  `| render pool, per core (CPU-seconds of all its threads) | ${f(poolPerCore)} / s | one thread: ${f(oursPerCore)} / s | ${(poolPerCore / oursPerCore).toFixed(2)} × | ≥ ${GOAL} / s / core | ${poolPerCore >= GOAL ? 'yes' : 'no'} |`,
];
const note =
  `Enrollment certificates, ja and en in turn, each for another student (rare kanji among the names), with the seal; RSA 2048 signature. ` +
  `Per core = signed documents per CPU-second of the process (medians of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms); ` +
  `the machine's load average was ${os.loadavg()[0]!.toFixed(1)} on ${cores} cores when this ran.`;
console.log(`\n${rows.join('\n')}\n\n${note}`);
writeSection('Certificates (PDF)', `${rows.join('\n')}\n\n${note}`);
