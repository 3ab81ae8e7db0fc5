import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.md');

/**
 * Puts `body` under `## heading` in bench/results.md: replaces that section if present (up to the
 * next `## `), else appends it; every other section stays as it is. Creates the file if absent.
 */
export async function writeResultsSection(heading: string, body: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(RESULTS, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    text = '# Benchmark results\n\nWritten by `npm run bench`; each section by its own bench file.\n';
  }
  const section = `## ${heading}\n\n${body.trim()}\n`;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `## ${heading}`);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    const after = next < 0 ? '' : `\n${lines.slice(next).join('\n')}`;
    text = `${lines.slice(0, start).join('\n')}${start > 0 ? '\n' : ''}${section}${after}`;
  }
  await writeFile(RESULTS, text.endsWith('\n') ? text : `${text}\n`);
}
