import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/results.md, beside this file. */
export const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.md');

const HEADER = `# Benchmark results

Written by \`npm run bench\` (each bench file replaces its own section and keeps the others).

How to read it:
- Every figure is measured beside a **baseline in the same run** on the same machine (a bare
  Express 5 app, or the same libraries without our work around them). The **ratio** (ours ÷
  baseline, in requests or documents per second) is what to compare across machines and runs; the
  absolute numbers depend on the machine and on what else ran.
- Each figure is the **median of several interleaved rounds** (ours and the baseline taken in turn),
  so a burst of load from elsewhere hits both.
- **goal** is the target from the performance issue; **met?** compares the median to it.
- The machine (CPU, cores, Node version, pinning, date) is named at the top of each section.
`;

/** Replaces (or adds) the section `## title` of the results file, keeping every other section. */
export function writeSection(title: string, body: string, file: string = RESULTS_FILE): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const heading = `## ${title}`;
  const start = text.indexOf(`\n${heading}\n`);
  const section = `\n${heading}\n\n${body.trim()}\n`;
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length + 1);
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next)}`);
}
