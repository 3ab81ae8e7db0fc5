import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCertificateStore, type LowdbCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import { certificateOptions } from '../../service/domain/certificates/options.js';
import { optionsResponse } from '../../service/http/presenters/orders.js';
import { normalizePostalCode, postalAddressSchema, PREFECTURES } from '../../service/shared/postal-address.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';
import type { StudentRecord } from '../../service/domain/registry/model.js';
import { studentRecord } from '../support/factories.js';

const now = new Date('2026-11-24T03:00:00Z');

const student = studentRecord;

describe('certificate options for the issue screen', () => {
  let dir: string;
  let store: LowdbCertificateStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-options-'));
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
    for (const type of await loadCertificateTypes()) await store.types.put(type);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const registry =
    (...records: StudentRecord[]) =>
    async (id: string) =>
      records.find((r) => r.studentId === id) ?? null;
  const optionsFor = async (studentIds: string[], ...records: StudentRecord[]) => optionsWith(true, studentIds, ...records);
  const optionsWith = async (pdfDeliveryAvailable: boolean, studentIds: string[], ...records: StudentRecord[]) =>
    optionsResponse(
      await certificateOptions({
        account: { studentIds },
        types: await store.types.list(),
        getStudent: registry(...records),
        now,
        reservationValidDays: 7,
        pdfDelivery: { validDays: 90, maxDownloads: 5 },
        pdfDeliveryAvailable,
      }),
    );

  it('offers PDF送付 only while documents can be time-stamped: without an authority no type lists it', async () => {
    const enrolled = student({ studentId: '2101001', status: 'enrolled' });
    const destinationsOf = (options: Awaited<ReturnType<typeof optionsFor>>) => options.students[0]!.types.map((t) => [t.code, t.destinations]);
    const withAuthority = await optionsWith(true, ['2101001'], enrolled);
    expect(withAuthority.students[0]!.types.find((t) => t.code === 'transcript')!.destinations).toContain('pdf');
    const without = await optionsWith(false, ['2101001'], enrolled);
    expect(destinationsOf(without)).toEqual(destinationsOf(withAuthority).map(([code, d]) => [code, (d as string[]).filter((x) => x !== 'pdf')]));
  });

  it('lists every active type in display order with why a graduate cannot order enrollment certificates', async () => {
    const graduate = student({ studentId: '1501101', status: 'graduated', graduationDate: '2019-03-31' });
    const options = await optionsFor(['1501101'], graduate);
    expect(options.students).toHaveLength(1);
    const [only] = options.students;
    expect(only).toMatchObject({ studentId: '1501101', status: 'graduated', university: { ja: 'デモ大学' }, faculty: { en: 'Faculty of Engineering' } });
    expect(only!.types.map((t) => [t.code, t.unavailable])).toEqual([
      ['enrollment', 'order.statusNotEligible'],
      ['exp-graduation', 'order.statusNotEligible'],
      ['graduation', null],
      ['transcript', null],
      ['discount', 'order.statusNotEligible'],
    ]);
    expect(options).toMatchObject({ maxCopiesPerOrder: 20, reservationValidDays: 7, pdfDelivery: { validDays: 90, maxDownloads: 5 } });
    expect(options.prefectures).toHaveLength(47);
  });

  it('explains that the expected-graduation certificate waits until the final year', async () => {
    const firstYear = student({ graduationDate: '2029-03-31' });
    const [only] = (await optionsFor(['2301234'], firstYear)).students;
    expect(only!.types.find((t) => t.code === 'exp-graduation')!.unavailable).toBe('order.graduationDateOutOfRange');
    expect(only!.types.find((t) => t.code === 'enrollment')!.unavailable).toBeNull();
  });

  it('leaves out inactive types and student IDs the registry does not know', async () => {
    const discount = (await store.types.get('discount'))!;
    await store.types.put({ ...discount, active: false });
    const options = await optionsFor(['2301234', '9999999'], student());
    expect(options.students.map((s) => s.studentId)).toEqual(['2301234']);
    expect(options.students[0]!.types.map((t) => t.code)).not.toContain('discount');
  });

  it('offers each of several student IDs with its own faculty', async () => {
    const undergraduate = student({ studentId: '2101004', status: 'graduated', graduationDate: '2024-03-31' });
    const graduateSchool = student({ studentId: '5251004', facultyName: { ja: '大学院工学研究科', en: 'Graduate School of Engineering' } });
    const options = await optionsFor(['2101004', '5251004'], undergraduate, graduateSchool);
    expect(options.students.map((s) => [s.studentId, s.faculty.ja])).toEqual([
      ['2101004', '工学部'],
      ['5251004', '大学院工学研究科'],
    ]);
  });
});

describe('postal addresses as typed', () => {
  it('normalises full-width digits and a missing hyphen in the postal code', () => {
    expect(normalizePostalCode('１２３４５６７')).toBe('123-4567');
    expect(normalizePostalCode('123-4567')).toBe('123-4567');
    expect(normalizePostalCode('１２３－４５６７')).toBe('123-4567');
    expect(normalizePostalCode('12-34567')).toBe('123-4567');
    expect(normalizePostalCode('123456')).toBeNull();
    expect(normalizePostalCode('abc-defg')).toBeNull();
  });

  it('accepts a domestic address and stores the prefecture in Japanese', () => {
    const parsed = postalAddressSchema.parse({ kind: 'domestic', postalCode: '１０００００１', prefecture: 'Tokyo', line1: ' 千代田区千代田1-1 ', line2: '' });
    expect(parsed).toEqual({ kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' });
    expect(PREFECTURES.map((p) => p.ja)).toContain('沖縄県');
  });

  it('gives a code per field for a bad domestic address', () => {
    const result = postalAddressSchema.safeParse({ kind: 'domestic', postalCode: '12', prefecture: '東京', line1: '', line2: 'x'.repeat(81) });
    expect(result.success).toBe(false);
    const codes = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(codes).toEqual({ postalCode: 'postalCode.invalid', prefecture: 'prefecture.invalid', line1: 'required', line2: 'tooLong' });
  });

  it('requires one to four non-empty lines and a country abroad', () => {
    expect(postalAddressSchema.safeParse({ kind: 'overseas', lines: ['1 Main St', 'Springfield'], country: 'USA' }).success).toBe(true);
    const codesOf = (input: unknown) => Object.fromEntries(postalAddressSchema.safeParse(input).error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(codesOf({ kind: 'overseas', lines: ['a', ' ', 'c'], country: '' })).toEqual({ 'lines.1': 'required', country: 'required' });
    expect(codesOf({ kind: 'overseas', lines: ['a', 'b', 'c', 'd', 'e'], country: 'France' })).toEqual({ lines: 'address.tooManyLines' });
    expect(codesOf({ kind: 'overseas', lines: [], country: 'France' })).toEqual({ lines: 'required' });
  });
});

describe('RESERVATION_VALID_DAYS', () => {
  it('defaults to 7 days and accepts 1 to 30', async () => {
    const { loadConfig, ConfigError } = await import('../../service/config.js');
    expect(loadConfig({ DATA_DIR: os.tmpdir() }).reservationValidDays).toBe(7);
    expect(loadConfig({ DATA_DIR: os.tmpdir(), RESERVATION_VALID_DAYS: '14' }).reservationValidDays).toBe(14);
    expect(() => loadConfig({ DATA_DIR: os.tmpdir(), RESERVATION_VALID_DAYS: '31' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: os.tmpdir(), RESERVATION_VALID_DAYS: '0' })).toThrow(ConfigError);
  });
});

describe('PDF_DELIVERY_VALID_DAYS and PDF_DELIVERY_MAX_DOWNLOADS', () => {
  it('default to 90 days and 5 downloads, and refuse values out of range', async () => {
    const { loadConfig, ConfigError } = await import('../../service/config.js');
    expect(loadConfig({ DATA_DIR: os.tmpdir() }).pdfDelivery).toEqual({ validDays: 90, maxDownloads: 5 });
    expect(loadConfig({ DATA_DIR: os.tmpdir(), PDF_DELIVERY_VALID_DAYS: '30', PDF_DELIVERY_MAX_DOWNLOADS: '3' }).pdfDelivery).toEqual({
      validDays: 30,
      maxDownloads: 3,
    });
    expect(() => loadConfig({ DATA_DIR: os.tmpdir(), PDF_DELIVERY_VALID_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: os.tmpdir(), PDF_DELIVERY_MAX_DOWNLOADS: 'many' })).toThrow(ConfigError);
  });
});
