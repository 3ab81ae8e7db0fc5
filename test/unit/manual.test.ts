import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANUAL, partLetter, sectionNumbers } from '../../renderer/src/pages/manual/structure.js';

type Tree = { [key: string]: unknown };

const rendererDir = new URL('../../renderer/src/', import.meta.url);
const texts = (language: 'ja' | 'en'): Tree =>
  (JSON.parse(readFileSync(new URL(`locales/manual/${language}.json`, rendererDir), 'utf8')) as { manual: Tree }).manual;

const sections = MANUAL.flatMap((chapter) => chapter.sections);
const parts = sections.flatMap((section) => section.parts ?? []);
const entryIds = [...sections, ...parts].map((entry) => entry.id);
/** The page's own texts next to the entries (title, table of contents, step header…). */
const PAGE_KEYS = ['title', 'lead', 'toc', 'back', 'backToTop', 'order', 'operation', 'seeAlso', 'chapter'];

/** Every `/manual#anchor` a screen links to. */
function manualAnchorsInScreens(dir = path.join(rendererDir.pathname)): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) found.push(...manualAnchorsInScreens(file));
    else if (/\.(vue|ts)$/.test(name)) found.push(...[...readFileSync(file, 'utf8').matchAll(/\/manual#([A-Za-z][\w-]*)/g)].map((m) => m[1]!));
  }
  return found;
}

describe('the user manual', () => {
  it('numbers its sections in order and its parts (a), (b)…', () => {
    const numbers = sectionNumbers();
    expect([numbers.get('precautions'), numbers.get('firstLogin'), numbers.get('logout'), numbers.get('pdf'), numbers.get('cancel')]).toEqual([
      '1.1',
      '2.1',
      '2.7',
      '3.6',
      '3.7',
    ]);
    expect([0, 1, 2].map(partLetter)).toEqual(['(a)', '(b)', '(c)']);
  });

  it('has one unique anchor per chapter, section and part, usable as a CSS id', () => {
    const ids = [...MANUAL.map((c) => c.id), ...entryIds];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !/^[A-Za-z][\w-]*$/.test(id) || id === 'toc-title')).toEqual([]);
  });

  it('links only to its own sections, and every screen that links into it names an existing anchor', () => {
    const anchors = new Set([...MANUAL.map((c) => c.id), ...entryIds, 'toc-title']);
    const related = sections.flatMap((s) => s.related ?? []);
    expect(related.filter((id) => !sections.some((s) => s.id === id))).toEqual([]);
    const fromScreens = manualAnchorsInScreens();
    expect(fromScreens.length).toBeGreaterThan(0);
    expect(fromScreens.filter((id) => !anchors.has(id))).toEqual([]);
  });

  for (const language of ['ja', 'en'] as const) {
    it(`has every text of the outline in ${language}, and no text outside it`, () => {
      const manual = texts(language);
      const chapterTitles = manual.chapter as Tree;
      expect(MANUAL.filter((c) => typeof chapterTitles[c.id] !== 'string').map((c) => c.id)).toEqual([]);
      const entry = (id: string) => manual[id] as Tree | undefined;
      expect(entryIds.filter((id) => typeof entry(id)?.title !== 'string')).toEqual([]);
      // A section that opens a screen names the link.
      expect(sections.filter((s) => s.link && typeof entry(s.id)?.link !== 'string').map((s) => s.id)).toEqual([]);
      // Every entry says something besides its title.
      const said = (id: string) => ['lead', 'steps', 'items', 'notes'].some((block) => entry(id)?.[block] !== undefined);
      expect(entryIds.filter((id) => !said(id))).toEqual([]);
      expect(Object.keys(manual).filter((key) => !PAGE_KEYS.includes(key) && !entryIds.includes(key))).toEqual([]);
    });
  }
});
