import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_TYPE_FIELD_ERRORS,
  certificateTypeFileSchema,
  certificateTypeSchema,
  fieldErrorsOf,
  parseCertificateTypes,
} from '../../service/domain/certificates/types.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';

const demo = () => JSON.parse(readFileSync(new URL('../../resources/certificate-types-template.json', import.meta.url), 'utf8'));

describe('certificate types', () => {
  it('the demo set loads with the five certificates in display order', async () => {
    const types = await loadCertificateTypes();
    expect(types.map((t) => t.name.ja)).toEqual(['在学証明書', '卒業見込証明書', '卒業証明書', '成績証明書', '学割証']);
    expect(types.map((t) => t.name.en)).toEqual([
      'Certificate of Enrollment',
      'Certificate of Expected Graduation',
      'Certificate of Graduation',
      'Academic Transcript',
      'Student Discount Certificate',
    ]);
  });

  it('the student discount certificate is Japanese only and valid for 3 months', async () => {
    const discount = (await loadCertificateTypes()).find((t) => t.template === 'studentDiscount')!;
    expect(discount.languages).toEqual(['ja']);
    expect(discount.validityMonths).toBe(3);
    expect(discount.eligibleStatuses).toEqual(['enrolled']);
  });

  it('the certificate of expected graduation is for enrolled students graduating within a year', async () => {
    const type = (await loadCertificateTypes()).find((t) => t.template === 'expectedGraduation')!;
    expect(type.eligibleStatuses).toEqual(['enrolled']);
    expect(type.requiresGraduationDateWithinMonths).toBe(12);
  });

  it('graduates may request certificates of graduation and transcripts, not enrollment', async () => {
    const types = await loadCertificateTypes();
    const forGraduates = types.filter((t) => t.eligibleStatuses.includes('graduated')).map((t) => t.template);
    expect(forGraduates).toEqual(['graduation', 'transcript']);
  });

  it('a bad staff edit reports a translated code per field', () => {
    const type = demo().types[0];
    const parsed = certificateTypeSchema.safeParse({
      ...type,
      code: 'Bad Code',
      name: { ja: '', en: 'x' },
      languages: [],
      destinations: ['drone'],
      maxCopies: 21,
      fee: -1,
      validityMonths: 0,
    });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error!)).toEqual({
      code: 'certificateType.codeInvalid',
      'name.ja': 'required',
      languages: 'certificateType.languagesInvalid',
      'destinations.0': 'certificateType.destinationsInvalid',
      maxCopies: 'certificateType.maxCopiesInvalid',
      fee: 'certificateType.feeInvalid',
      validityMonths: 'certificateType.monthsInvalid',
    });
  });

  it('a missing fee is reported with the fee code', () => {
    const { fee: _fee, ...rest } = demo().types[0];
    const parsed = certificateTypeSchema.safeParse(rest);
    expect(fieldErrorsOf(parsed.error!)).toEqual({ fee: 'certificateType.feeInvalid' });
  });

  it('a file with the same code twice is refused', () => {
    const file = demo();
    file.types[1].code = file.types[0].code;
    const parsed = certificateTypeFileSchema.safeParse(file);
    expect(fieldErrorsOf(parsed.error!)).toEqual({ 'types.1.code': 'certificateType.codeDuplicate' });
    expect(() => parseCertificateTypes(file)).toThrow(/types\.1\.code: certificateType\.codeDuplicate/);
  });

  it('every schema error code has a message in Japanese and English', () => {
    for (const language of ['ja', 'en']) {
      const messages = JSON.parse(readFileSync(new URL(`../../renderer/src/locales/certificateType/${language}.json`, import.meta.url), 'utf8'));
      for (const code of CERTIFICATE_TYPE_FIELD_ERRORS) expect(messages.certificateType[code.split('.')[1]!]).toBeTruthy();
    }
  });
});
