/**
 * The one table of every figure: reads the sections of bench/results.md that the benches wrote,
 * takes each row of their `| figure | … |` tables (ours, the baseline or ceiling, the ratio, the
 * goal, met?) by column name, prints them together and writes them as the first section of the
 * file. `npm run bench` runs it after every bench (not a bench itself: it measures nothing).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { RESULTS_FILE } from './results.js';

export const SUMMARY_TITLE = 'Summary: every figure';

interface Row {
  section: string;
  cells: Record<string, string>;
}

const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** Every row of every table whose first column is `figure`, outside the summary. */
export function figureRows(markdown: string): Row[] {
  const rows: Row[] = [];
  let section = '';
  let header: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      header = null;
    } else if (!line.startsWith('|')) header = null;
    else if (section === SUMMARY_TITLE) continue;
    else if (!header) header = cellsOf(line)[0] === 'figure' ? cellsOf(line) : null;
    else if (!/^\|[\s|:-]+\|$/.test(line.trim())) {
      const cells = cellsOf(line);
      rows.push({ section, cells: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) });
    }
  }
  return rows;
}

/** The column whose name starts with one of `prefixes` (the benches name the baseline after what it is). */
const column = (cells: Record<string, string>, ...prefixes: string[]) => {
  for (const prefix of prefixes) {
    const name = Object.keys(cells).find((k) => k.toLowerCase().startsWith(prefix));
    if (name !== undefined) return { name, value: cells[name]! };
  }
  return { name: '', value: '—' };
};

export function summaryTable(rows: Row[]): string {
  const lines = ['| figure | ours | baseline / ceiling | ratio | goal | met? | section |', '|---|---|---|---|---|---|---|'];
  for (const { section, cells } of rows) {
    const baseline = column(cells, 'baseline', 'ceiling', 'today');
    // A column named after the baseline ("baseline: bare Express 5 `GET /`") says what it is.
    const what = baseline.name.includes(':')
      ? ` (${baseline.name.slice(baseline.name.indexOf(':') + 1).trim()})`
      : baseline.name.startsWith('today')
        ? ' (before)'
        : '';
    const ratio = column(cells, 'ratio');
    const ratioText = ratio.name && ratio.name !== 'ratio' ? `${ratio.value} (${ratio.name.replace(/^ratio\s*/, '')})` : ratio.value;
    lines.push(
      `| ${cells.figure} | ${column(cells, 'ours').value} | ${baseline.value === '—' ? '—' : baseline.value + what} | ${ratioText} | ${column(cells, 'goal').value} | ${column(cells, 'met').value} | ${section} |`,
    );
  }
  return lines.join('\n');
}

/** Puts `## title` + body as the first section of the file (after its introduction), replacing an older one. */
export function writeFirstSection(markdown: string, title: string, body: string): string {
  const heading = `## ${title}`;
  let text = markdown;
  const old = text.indexOf(`\n${heading}\n`);
  if (old >= 0) {
    const next = text.indexOf('\n## ', old + heading.length + 1);
    text = text.slice(0, old) + (next < 0 ? '\n' : text.slice(next));
  }
  const first = text.indexOf('\n## ');
  const section = `\n${heading}\n\n${body.trim()}\n`;
  return first < 0 ? `${text.trimEnd()}\n${section}` : `${text.slice(0, first).trimEnd()}\n${section}${text.slice(first)}`;
}

const markdown = readFileSync(RESULTS_FILE, 'utf8');
const rows = figureRows(markdown);
// Only rows with a goal and a verdict count; a row meets it when every part of its verdict says yes ("ratio yes, p99 **no**" does not).
const judged = (r: (typeof rows)[number]) =>
  !['', '—'].includes(column(r.cells, 'goal').value.trim()) && !['', '—'].includes(column(r.cells, 'met').value.trim());
const withGoal = rows.filter(judged);
const met = withGoal.filter((r) => {
  const verdict = column(r.cells, 'met').value;
  return /\byes\b/i.test(verdict) && !/\bno\b/i.test(verdict);
}).length;
const body = `${met} of the ${withGoal.length} figures with a goal meet it (gathered from the sections below; each measured beside its baseline in the same run).\n\n${summaryTable(rows)}`;
console.log(`\n## ${SUMMARY_TITLE}\n\n${body}\n`);
writeFileSync(RESULTS_FILE, writeFirstSection(markdown, SUMMARY_TITLE, body));
