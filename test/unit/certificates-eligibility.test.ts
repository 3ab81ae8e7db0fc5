import { describe, expect, it } from 'vitest';
import { DomainError } from '../../service/domain/errors.js';
import { addMonthsToDate, assertOrder, checkOrder, japanDate, typesAvailableTo } from '../../service/domain/certificates/eligibility.js';
import type { CertificateType, Destination, OrderItem } from '../../service/domain/certificates/model.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';
import type { StudentRecord } from '../../service/domain/registry/model.js';
import { studentRecord } from '../support/factories.js';

const types = await loadCertificateTypes();
const now = new Date('2026-11-24T03:00:00Z');

const student = studentRecord;

const check = (items: OrderItem[], options: { destination?: Destination; who?: StudentRecord; types?: CertificateType[] } = {}) =>
  checkOrder({ types: options.types ?? types, student: options.who ?? student(), items, destination: options.destination ?? 'convenience', now });
const codes = (result: ReturnType<typeof checkOrder>) => (result.ok ? [] : result.problems.map((p) => p.code));

describe('order eligibility', () => {
  it('an enrolled student in the final year may order enrollment, expected graduation, transcript and discount certificates', () => {
    const result = check([
      { typeCode: 'enrollment', language: 'ja', copies: 2 },
      { typeCode: 'enrollment', language: 'en', copies: 1 },
      { typeCode: 'exp-graduation', language: 'en', copies: 3 },
      { typeCode: 'transcript', language: 'ja', copies: 1 },
      { typeCode: 'discount', language: 'ja', copies: 2 },
    ]);
    expect(result).toEqual({ ok: true, totalCopies: 9, totalFee: 2 * 200 + 200 + 3 * 200 + 300 });
  });

  it('a graduate may not order a certificate of enrollment but may order a certificate of graduation', () => {
    const graduate = student({ status: 'graduated', graduationDate: '2024-03-31' });
    const result = check(
      [
        { typeCode: 'enrollment', language: 'ja', copies: 1 },
        { typeCode: 'graduation', language: 'ja', copies: 1 },
      ],
      { who: graduate },
    );
    expect(result).toEqual({
      ok: false,
      problems: [{ code: 'order.statusNotEligible', line: 0, typeCode: 'enrollment', params: {} }],
    });
  });

  it('withdrawn students may order nothing of the demo set', () => {
    expect(typesAvailableTo(types, student({ status: 'withdrawn' }), now)).toEqual([]);
  });

  it('expected graduation needs a graduation date within 12 months from today in Japan', () => {
    const item = [{ typeCode: 'exp-graduation', language: 'ja' as const, copies: 1 }];
    expect(codes(check(item, { who: student({ graduationDate: '2028-03-31' }) }))).toEqual(['order.graduationDateOutOfRange']);
    expect(codes(check(item, { who: student({ graduationDate: null }) }))).toEqual(['order.graduationDateOutOfRange']);
    expect(codes(check(item, { who: student({ graduationDate: '2026-11-23' }) }))).toEqual(['order.graduationDateOutOfRange']);
    expect(check(item, { who: student({ graduationDate: '2027-11-24' }) }).ok).toBe(true);
    expect(check(item, { who: student({ graduationDate: '2026-11-24' }) }).ok).toBe(true);
    expect(codes(check(item, { who: student({ graduationDate: '2027-11-25' }) }))).toEqual(['order.graduationDateOutOfRange']);
  });

  it('the student discount certificate is not offered in English nor by mail', () => {
    const result = check([{ typeCode: 'discount', language: 'en', copies: 1 }], { destination: 'mail' });
    expect(codes(result)).toEqual(['order.languageNotOffered', 'order.destinationNotAllowed']);
  });

  it('an unknown or inactive type is refused', () => {
    const inactive = types.map((t) => (t.code === 'transcript' ? { ...t, active: false } : t));
    const result = check(
      [
        { typeCode: 'diploma', language: 'ja', copies: 1 },
        { typeCode: 'transcript', language: 'ja', copies: 1 },
      ],
      { types: inactive },
    );
    expect(codes(result)).toEqual(['order.typeUnknown', 'order.typeUnknown']);
  });

  it('copies must be a whole number of at least one', () => {
    for (const copies of [0, -1, 1.5, Number.NaN]) {
      expect(codes(check([{ typeCode: 'enrollment', language: 'ja', copies }]))).toEqual(['order.copiesInvalid']);
    }
  });

  it("copies over a type's limit are refused with the limit", () => {
    const result = check([{ typeCode: 'discount', language: 'ja', copies: 3 }]);
    expect(result).toEqual({
      ok: false,
      problems: [{ code: 'order.copiesOverTypeLimit', line: 0, typeCode: 'discount', params: { limit: 2 } }],
    });
  });

  it('more than 20 copies in one order are refused, 20 are fine', () => {
    const twenty = [
      { typeCode: 'enrollment', language: 'ja' as const, copies: 10 },
      { typeCode: 'transcript', language: 'ja' as const, copies: 10 },
    ];
    expect(check(twenty).ok).toBe(true);
    const result = check([...twenty, { typeCode: 'transcript', language: 'en', copies: 1 }]);
    expect(result).toEqual({
      ok: false,
      problems: [{ code: 'order.copiesOverOrderLimit', line: null, typeCode: null, params: { limit: 20 } }],
    });
  });

  it('the same type and language twice is a duplicate line', () => {
    const result = check([
      { typeCode: 'enrollment', language: 'ja', copies: 1 },
      { typeCode: 'enrollment', language: 'ja', copies: 1 },
    ]);
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.line])).toEqual([['order.duplicateLine', 1]]);
  });

  it('an order without lines is refused', () => {
    expect(codes(check([]))).toEqual(['order.empty']);
  });

  it('assertOrder throws the first problem as a DomainError with every problem per line', () => {
    try {
      assertOrder({
        types,
        student: student(),
        items: [
          { typeCode: 'discount', language: 'en', copies: 1 },
          { typeCode: 'nope', language: 'ja', copies: 1 },
        ],
        destination: 'campus',
        now,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('order.languageNotOffered');
      expect((e as DomainError).fields).toEqual({ 'items.0': 'order.languageNotOffered', 'items.1': 'order.typeUnknown' });
    }
  });

  it('the types offered follow the status and the destination', () => {
    expect(typesAvailableTo(types, student(), now, 'mail').map((t) => t.code)).toEqual(['enrollment', 'exp-graduation', 'transcript']);
  });

  it('dates are Japanese calendar days and month arithmetic clamps to the month end', () => {
    expect(japanDate(new Date('2026-11-24T15:00:00Z'))).toBe('2026-11-25');
    expect(japanDate(new Date('2026-11-24T14:59:59Z'))).toBe('2026-11-24');
    expect(addMonthsToDate('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsToDate('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonthsToDate('2026-01-31', 12)).toBe('2027-01-31');
  });
});
