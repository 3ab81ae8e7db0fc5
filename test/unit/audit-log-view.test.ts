import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { AuditEntryView } from '../../service/contract/admin.js';
import { AUDIT_ACTIONS } from '../../renderer/src/components/admin/audit/auditActions.js';
import { changeOf, flatten, isBinaryText, rawJson, truncate } from '../../renderer/src/components/admin/audit/auditChange.js';
import { auditText } from '../../renderer/src/components/admin/audit/useAuditText.js';
import { datetimeFormats } from '../../renderer/src/formats.js';
import { mergeMessages, type Messages } from '../../renderer/src/locales/merge.js';

const root = path.resolve(import.meta.dirname, '../..');
const localesDir = path.join(root, 'renderer/src/locales');
const readJson = (file: string): Messages => JSON.parse(readFileSync(path.join(localesDir, file), 'utf8'));
function messages(language: 'ja' | 'en'): Messages {
  const features: Record<string, Messages> = {};
  for (const entry of readdirSync(localesDir)) {
    if (statSync(path.join(localesDir, entry)).isDirectory()) features[entry] = readJson(`${entry}/${language}.json`);
  }
  return mergeMessages(readJson(`${language}.json`), features);
}

function textIn(language: 'ja' | 'en') {
  const i18n = createI18n({
    legacy: false,
    locale: language,
    fallbackLocale: 'ja',
    messages: { ja: messages('ja'), en: messages('en') },
    datetimeFormats,
    missingWarn: false,
    fallbackWarn: false,
  });
  return auditText(i18n.global);
}

/** The action codes written in the service's source: literal ones, and template ones expanded over their known kinds. */
function actionsInService(): Set<string> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts')) files.push(full);
    }
  };
  walk(path.join(root, 'service'));
  const kinds: Record<string, string[]> = {
    'registry.${kind}.imported': ['students', 'grades'],
    'certificate.${kind}.created': ['reservation', 'campusJob', 'mailOrder'],
    'institution.${kind}.uploaded': ['seal', 'logo'],
    'institution.${kind}.removed': ['seal', 'logo'],
    'application.${HISTORY_OF[decision.action]}': ['approved', 'rejected', 'resubmit'],
  };
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/action: '([a-z][A-Za-z]*(?:\.[A-Za-z]+)+)'/g)) found.add(m[1]!);
    for (const m of source.matchAll(/action: before \? '([\w.]+)' : '([\w.]+)'/g)) found.add(m[1]!).add(m[2]!);
    for (const m of source.matchAll(/this\.record\([^,]+, '([\w.]+)'/g)) found.add(m[1]!);
    for (const m of source.matchAll(/auditType\(by, (?:before \? )?'([\w.]+)'(?: : '([\w.]+)')?/g)) [m[1], m[2]].forEach((a) => a && found.add(a));
    for (const m of source.matchAll(/action: `([^`]+)`/g)) {
      const expansions = kinds[m[1]!];
      if (!expansions) throw new Error(`${path.relative(root, file)} writes the action \`${m[1]}\`: list its values in this test`);
      for (const kind of expansions) found.add(m[1]!.replace(/\$\{[^}]+\}/, kind));
    }
  }
  return found;
}

const entry = (overrides: Partial<AuditEntryView>): AuditEntryView => ({
  id: 'a1',
  at: '2026-04-01T06:30:15.000Z',
  actor: { type: 'staff', id: 's1', name: '審査 太郎' },
  action: 'application.approved',
  target: { type: 'application', id: 'app-1', label: null },
  before: null,
  after: null,
  note: null,
  ...overrides,
});

describe('the audit log in words', () => {
  it('names every action the service writes, in Japanese and in English', () => {
    const written = actionsInService();
    expect(written.size).toBeGreaterThan(30);
    expect([...written].filter((a) => !AUDIT_ACTIONS.includes(a))).toEqual([]);
    for (const language of ['ja', 'en'] as const) {
      const text = textIn(language);
      expect(AUDIT_ACTIONS.filter((a) => text.actionText(a) === a)).toEqual([]);
    }
    expect(textIn('ja').actionText('institution.profile.updated')).toBe('大学情報の変更');
    expect(textIn('en').actionText('certificate.pdf.viewed')).toBe('Certificate PDF viewed');
  });

  it('shows an action it does not know yet as recorded', () => {
    expect(textIn('ja').actionText('printer.replaced')).toBe('printer.replaced');
    expect(textIn('ja').actionText('application')).toBe('application');
  });

  it('gives times in Japan time with the zone, whatever the machine’s zone', () => {
    expect(textIn('ja').when('2026-04-01T06:30:15.000Z')).toBe('2026/04/01 15:30:15 JST');
    expect(textIn('en').when('2026-04-01T23:30:15.000Z')).toMatch(/^Apr 2, 2026, 08:30:15 GMT\+9$/);
  });

  it('labels known fields in words, localised names with their language, and unknown paths as dotted paths', () => {
    const ja = textIn('ja');
    expect(ja.fieldLabel('status')).toBe('状態');
    expect(ja.fieldLabel('contact.phone')).toBe('電話番号');
    expect(ja.fieldLabel('name.ja')).toBe('名称(日本語)');
    expect(ja.fieldLabel('officer.title.en')).toBe('発行者の職名(英語)');
    expect(ja.fieldLabel('form.nameKana')).toBe('申請内容 › 氏名(カナ)');
    expect(ja.fieldLabel('2101001.nameKanji')).toBe('2101001 › 氏名(漢字)');
    expect(ja.fieldLabel('widget.colour')).toBe('widget.colour');
    expect(textIn('en').fieldLabel('name.en')).toBe('Name (English)');
  });

  it('shows values in words, cuts long text, and never dumps binary data', () => {
    const ja = textIn('ja');
    expect(ja.valueText('status', 'revoked')).toBe('失効');
    expect(ja.valueText('status', 'somethingNew')).toBe('somethingNew');
    expect(ja.valueText('active', true)).toBe('はい');
    expect(ja.valueText('revokedAt', null)).toBe('(なし)');
    expect(ja.valueText('studentIds', ['2101001', '2201001'])).toBe('2101001、2201001');
    expect(ja.valueText('shippedAt', '2026-04-01T06:30:15.000Z')).toBe('2026/04/01 15:30:15 JST');
    expect([...ja.valueText('reason', 'あ'.repeat(200))]).toHaveLength(60);
    expect(ja.valueText('png', `data:image/png;base64,${'A'.repeat(500)}`)).toBe('(データ 522 文字・表示しません)');
    expect(ja.valueText('png', 'iVBORw0KGgo'.repeat(40))).toMatch(/^\(データ 440 文字/);
  });

  it('names a target by its label, a fixed target in words, and otherwise by its ID', () => {
    const ja = textIn('ja');
    expect(ja.targetName(entry({ target: { type: 'certificateType', id: 'enrollment', label: { ja: '在学証明書', en: 'Certificate of Enrollment' } } }))).toBe(
      '在学証明書',
    );
    expect(
      textIn('en').targetName(entry({ target: { type: 'certificateType', id: 'enrollment', label: { ja: '在学証明書', en: 'Certificate of Enrollment' } } })),
    ).toBe('Certificate of Enrollment');
    expect(ja.targetName(entry({ target: { type: 'institution', id: 'seal', label: null } }))).toBe('公印');
    expect(ja.targetName(entry({ target: { type: 'order', id: 'ord-1', label: null } }))).toBe('ord-1');
    expect(ja.targetType(entry({ target: { type: 'reservation', id: 'r', label: null } }))).toBe('コンビニ予約');
    expect(ja.actorType(entry({}))).toBe('スタッフ');
  });
});

describe('what changed in an audit entry', () => {
  it('lists only the fields that differ, by dotted path, in the order recorded', () => {
    const change = changeOf(
      { name: { ja: '在学証明書', en: 'Certificate of Enrollment' }, maxCopies: 10, languages: ['ja', 'en'] },
      { name: { ja: '在学証明書(和文)', en: 'Certificate of Enrollment' }, maxCopies: 4, languages: ['ja', 'en'] },
    );
    expect(change).toEqual({
      kind: 'changed',
      fields: [
        { path: 'name.ja', before: '在学証明書', after: '在学証明書(和文)' },
        { path: 'maxCopies', before: 10, after: 4 },
      ],
    });
  });

  it('shows a field that appears or disappears, and what was created or removed as a whole', () => {
    expect(changeOf({ status: 'valid' }, { status: 'revoked', revokedAt: '2026-04-01T00:00:00Z' })?.fields).toEqual([
      { path: 'status', before: 'valid', after: 'revoked' },
      { path: 'revokedAt', before: undefined, after: '2026-04-01T00:00:00Z' },
    ]);
    expect(changeOf(null, { status: 'pending' })).toEqual({ kind: 'created', fields: [{ path: 'status', before: undefined, after: 'pending' }] });
    expect(changeOf({ width: 600 }, null)).toEqual({ kind: 'removed', fields: [{ path: 'width', before: 600, after: undefined }] });
    expect(changeOf(null, null)).toBeNull();
    expect(changeOf({ status: 'pending' }, { status: 'pending' })).toEqual({ kind: 'changed', fields: [] });
  });

  it('flattens arrays of records by index and keeps arrays of plain values whole', () => {
    expect([...flatten({ items: [{ typeCode: 'enrollment', copies: 2 }], studentIds: ['2101001'] })]).toEqual([
      ['items.0.typeCode', 'enrollment'],
      ['items.0.copies', 2],
      ['studentIds', ['2101001']],
    ]);
  });

  it('keeps the raw detail readable: binary strings become a note, the rest stays as recorded', () => {
    const raw = rawJson({ seal: `data:image/png;base64,${'A'.repeat(300)}`, sha256: 'ab'.repeat(32), phone: '011-000-0000' }, (n) => `(${n} chars)`);
    expect(JSON.parse(raw)).toEqual({ seal: '(322 chars)', sha256: 'ab'.repeat(32), phone: '011-000-0000' });
    expect(isBinaryText('a sentence with spaces '.repeat(20))).toBe(false);
    expect(truncate('証明書番号', 3)).toBe('証明…');
  });
});
