import { pino } from 'pino';
import { openRegistryStore } from '../../service/adapters/lowdb/registry-store.js';
import { loadConfig } from '../../service/config.js';
import { createAccountService } from '../../service/domain/accounts.js';
import type { AuditLog } from '../../service/domain/audit.js';
import { GRADE_COLUMNS, STUDENT_COLUMNS } from '../../service/domain/registry/import.js';
import type { FeatureContext } from '../../service/features/context.js';
import { createRegistryFeature, type RegistryService } from '../../service/features/registry.js';
import { OutboxMailer, random, tempStores, TestClock } from './factories.js';
import { localJobLocks } from '../../service/adapters/local/job-locks.js';

export type StudentRow = Record<(typeof STUDENT_COLUMNS)[number], string>;
export type GradeRow = Record<(typeof GRADE_COLUMNS)[number], string>;

let serial = 0;

/** One valid row of students.csv (a graduate of デモ大学 工学部 情報工学科 unless overridden). */
export function studentRow(overrides: Partial<StudentRow> = {}): StudentRow {
  serial += 1;
  return {
    student_id: `19${String(serial).padStart(5, '0')}`,
    name_kanji: '山田 太郎',
    name_kana: 'ヤマダ タロウ',
    name_roman: 'Taro Yamada',
    birth_date: '2000-05-14',
    university_code: 'DEMO',
    university_ja: 'デモ大学',
    university_en: 'Demo University',
    faculty_code: 'ENG',
    faculty_ja: '工学部',
    faculty_en: 'Faculty of Engineering',
    department_code: 'INF',
    department_ja: '情報工学科',
    department_en: 'Department of Information Engineering',
    enrollment_date: '2019-04-01',
    status: 'graduated',
    graduation_date: '2023-03-31',
    degree_ja: '学士(工学)',
    degree_en: 'Bachelor of Engineering',
    ...overrides,
  };
}

export function gradeRow(studentId: string, overrides: Partial<GradeRow> = {}): GradeRow {
  return {
    student_id: studentId,
    course_code: 'IE101',
    title_ja: 'プログラミング入門',
    title_en: 'Introduction to Programming',
    credits: '2',
    grade: 'A',
    term: '2019-1',
    ...overrides,
  };
}

/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, quote or line break. */
export const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface CsvOptions {
  eol?: '\n' | '\r\n';
  bom?: boolean;
  columns?: readonly string[];
}

/** A CSV file of `rows` under the header `columns` (default: the rows' own keys). */
export function toCsv(rows: Record<string, string>[], options: CsvOptions = {}): string {
  const eol = options.eol ?? '\n';
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c] ?? '')).join(','))];
  return (options.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

export const studentsCsv = (rows: StudentRow[], options: CsvOptions = {}) => toCsv(rows, { columns: STUDENT_COLUMNS, ...options });
export const gradesCsv = (rows: GradeRow[], options: CsvOptions = {}) => toCsv(rows, { columns: GRADE_COLUMNS, ...options });

export interface RegistryHarness {
  registry: RegistryService;
  audit: AuditLog;
  clock: TestClock;
  dataDir: string;
  /** The registry as a fresh process would read it from disk. */
  reopen(): Promise<RegistryService>;
}

/** The registry feature over real lowdb files (registry and audit log) in a temporary directory. */
export async function registryHarness(options: { demo?: boolean } = {}): Promise<RegistryHarness> {
  const clock = new TestClock();
  const stores = await tempStores(clock);
  const { dataDir, audit } = stores;
  const config = loadConfig(options.demo ? { DATA_DIR: dataDir, DEMO: '1' } : { DATA_DIR: dataDir, SAML_IDP_METADATA: '/nonexistent/idp.xml' });
  const ctx = {
    config,
    logger: pino({ level: 'silent' }),
    stores,
    locks: localJobLocks(),
    clock,
    random,
    mailer: new OutboxMailer(),
    accounts: createAccountService({ store: stores.store, clock, random }),
    audit,
  } satisfies FeatureContext;
  const registry = await createRegistryFeature(ctx);
  return {
    registry,
    audit,
    clock,
    dataDir,
    reopen: async () => createRegistryFeature({ ...ctx, stores: { ...stores, registry: await openRegistryStore(dataDir) } }),
  };
}
