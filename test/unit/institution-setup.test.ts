import { describe, expect, it } from 'vitest';
import { setupStatus, type SigningIdentity } from '../../service/domain/institution/setup.js';
import { signMail } from '../../service/domain/institution/mail-signature.js';
import { sniffImageType } from '../../service/domain/institution/service.js';
import { TEST_INSTITUTION } from '../support/institution.js';

const profile = { ...TEST_INSTITUTION, updatedAt: '2026-12-01T00:00:00.000Z' };
const seal = { kind: 'seal' as const, width: 600, height: 600, sha256: 'ab', uploadedType: 'image/png' as const, uploadedAt: '2026-12-01T00:00:00.000Z' };
const identity = (names: string[], notBefore = '2026-01-01T00:00:00.000Z', notAfter = '2031-01-01T00:00:00.000Z'): SigningIdentity => ({
  source: 'configured',
  subject: names.map((n) => `CN=${n}`).join(', '),
  names,
  notBefore,
  notAfter,
});
const now = new Date('2026-12-07T00:00:00.000Z');
const problemOfKey = (signing: SigningIdentity | null) =>
  setupStatus({ profile, seal, activeTypes: 1, signing, now }).items.find((i) => i.code === 'signingKey')!.problem;

describe('the setup checklist', () => {
  it('is open only when profile, seal, an active type and a valid key naming the institution are all there', () => {
    expect(setupStatus({ profile, seal, activeTypes: 2, signing: identity(['Hokushin Institute of Technology']), now }).open).toBe(true);
    expect(setupStatus({ profile: null, seal, activeTypes: 2, signing: identity(['x']), now }).items[0]).toEqual({
      code: 'profile',
      done: false,
      problem: 'missing',
    });
    expect(setupStatus({ profile, seal: null, activeTypes: 2, signing: identity(['Hokushin Institute of Technology']), now }).open).toBe(false);
    expect(setupStatus({ profile, seal, activeTypes: 0, signing: identity(['Hokushin Institute of Technology']), now }).open).toBe(false);
  });

  it('matches the certificate subject to the Japanese or English name, ignoring case, width and spacing', () => {
    expect(problemOfKey(identity(['HOKUSHIN  institute of technology']))).toBeNull();
    expect(problemOfKey(identity(['JP', '北辰工業大学']))).toBeNull();
    expect(problemOfKey(identity(['ＨＯＫＵＳＨＩＮ Institute of Technology']))).toBeNull();
    expect(problemOfKey(identity(['Hokushin College']))).toBe('subjectMismatch');
  });

  it('tells a missing, an expired and a not yet valid key apart', () => {
    expect(problemOfKey(null)).toBe('missing');
    expect(problemOfKey(identity(['北辰工業大学'], '2020-01-01T00:00:00.000Z', '2026-12-06T00:00:00.000Z'))).toBe('expired');
    expect(problemOfKey(identity(['北辰工業大学'], '2027-01-01T00:00:00.000Z'))).toBe('notYetValid');
  });
});

describe('the mail signature', () => {
  const mail = { to: 'a@example.jp', subject: 's', text: 'Hello\n', html: '<!doctype html><html><body><p>Hello</p></body></html>' };

  it('ends a Japanese mail with the Japanese name and contact, in text and HTML (escaped)', () => {
    const signed = signMail({ ...mail, language: 'ja' }, { ...profile, contact: { ...profile.contact, office: { ja: '学生<支援>課', en: 'x' } } });
    expect(signed.text).toMatch(
      /^Hello\n\n―+\n北辰工業大学 証明書発行サービス\nお問い合わせ先: 学生<支援>課\n電話: 011-555-0123 \(受付時間: 平日 8:45〜17:15\)\nメール: shomei@hokushin-tech.example\nhttps:\/\/www.hokushin-tech.example\/students\/certificates\n$/,
    );
    expect(signed.html).toContain('学生&lt;支援&gt;課');
    expect(signed.html.endsWith('</p></body></html>')).toBe(true);
  });

  it('ends an English mail with the English name', () => {
    expect(signMail({ ...mail, language: 'en' }, profile).text).toContain(
      'Hokushin Institute of Technology Certificate Issuance Service\nInquiries: Student Support Office, Certificates',
    );
  });
});

describe('uploaded image types', () => {
  it('knows PNG by its signature and SVG by its root element, whatever the file claims', () => {
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImageType(new TextEncoder().encode('\uFEFF<?xml version="1.0"?>\n<!-- seal --><svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'image/svg+xml',
    );
    expect(sniffImageType(new TextEncoder().encode('<html><svg/></html>'))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBeNull();
  });
});
