/**
 * bench/results.md: one section per bench (a `## heading` and what follows it up to the next one).
 * A bench rewrites its own section and keeps the others.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.md');

export function writeResultsSection(heading: string, body: string): void {
  const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmark results\n\nWritten by `npm run bench`; each section by its bench, from its last run.\n';
  const section = `## ${heading}\n\n${body.trim()}\n`;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `## ${heading}`);
  if (start === -1) {
    writeFileSync(FILE, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end === -1) end = lines.length;
  const rest = lines.slice(end).join('\n');
  writeFileSync(FILE, `${lines.slice(0, start).join('\n').trimEnd()}\n\n${section}${rest ? `\n${rest}` : ''}`);
}
