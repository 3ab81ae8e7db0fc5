import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Transpiles `entry` and the relative modules it imports (type-only imports vanish) into
 * `outDir`, so a plain `node` child can run the real adapter without a build step or tsx.
 * `outDir` lies under node_modules so that the child resolves lowdb from the project.
 */
export function transpileTree(entry: string, outDir: string): string {
  const done = new Set<string>();
  const visit = (file: string) => {
    if (done.has(file)) return;
    done.add(file);
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const out = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    for (const m of outputText.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      visit(path.resolve(path.dirname(file), `${m[1]}.ts`));
    }
  };
  visit(entry);
  writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  return path.join(outDir, path.relative(root, entry)).replace(/\.ts$/, '.js');
}

/**
 * A child program for a kill -9 test, ready to run with plain `node`: a fresh directory under
 * node_modules/.cache holding `entries` (project-relative .ts modules) transpiled with what they
 * import, `child.mjs` (its `source`, importing them as `./service/…js`) and `fixture.json`.
 */
export function buildChild(name: string, entries: string[], source: string, fixture: unknown): { buildDir: string; script: string } {
  mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
  const buildDir = mkdtempSync(path.join(root, 'node_modules', '.cache', `shomei-${name}-`));
  for (const entry of entries) transpileTree(path.join(root, entry), buildDir);
  const script = path.join(buildDir, 'child.mjs');
  writeFileSync(script, source);
  writeFileSync(path.join(buildDir, 'fixture.json'), JSON.stringify(fixture));
  return { buildDir, script };
}

/**
 * Runs `script dataDir round` in a plain node child, waits until it printed a line matching
 * `progress`, lets it run a random moment longer, then kills it with SIGKILL. Returns the
 * complete lines it printed: the acknowledgements (a line cut by the kill is not one).
 */
export async function runAndKill(script: string, dataDir: string, round: number, progress: RegExp): Promise<string[]> {
  const child = spawn(process.execPath, [script, dataDir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const deadline = Date.now() + 20_000;
    while (!progress.test(out)) {
      if (child.exitCode !== null) throw new Error(`child exited early (${child.exitCode}):\n${err}`);
      if (Date.now() > deadline) throw new Error(`child made no progress:\n${err}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  expect(err).toBe('');
  expect(child.signalCode).toBe('SIGKILL');
  // A line cut by the kill is not an acknowledgement.
  return out.slice(0, out.lastIndexOf('\n')).split('\n');
}
