import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KIOSK_CHANNELS } from '../../main/kiosk-bridge.js';

/**
 * The preload as the sandbox runs it: main/preload.cts compiled to CommonJS (as tsc does for the
 * build) and run in a fresh context whose `require` knows only 'electron' (a stand-in recording
 * what the preload exposes and invokes), like a sandboxed renderer's preload.
 */
function runPreload() {
  const source = readFileSync(path.resolve(import.meta.dirname, '../../main/preload.cts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { answered: args[0] };
      },
    },
  };
  const module = { exports: {} };
  runInNewContext(outputText, {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  });
  return { exposed, invoked, required };
}

describe('the kiosk preload', () => {
  it('exposes only window.kiosk, with exactly terminal, print and sessionEnded, and requires nothing but electron', () => {
    const { exposed, required } = runPreload();
    expect([...exposed.keys()]).toEqual(['kiosk']);
    expect(Object.keys(exposed.get('kiosk') as object).sort()).toEqual(['print', 'sessionEnded', 'terminal']);
    expect(required).toEqual(['electron']);
  });

  it('forwards each call to its IPC channel, the job id as a string, and hands out no IPC object', async () => {
    const { exposed, invoked } = runPreload();
    const kiosk = exposed.get('kiosk') as { terminal(): Promise<unknown>; print(id: unknown): Promise<unknown>; sessionEnded(): Promise<unknown> };
    await expect(kiosk.terminal()).resolves.toEqual({ answered: KIOSK_CHANNELS.terminal });
    await expect(kiosk.print(42)).resolves.toEqual({ answered: KIOSK_CHANNELS.print });
    await expect(kiosk.sessionEnded()).resolves.toBeUndefined();
    expect(invoked).toEqual([[KIOSK_CHANNELS.terminal], [KIOSK_CHANNELS.print, '42'], [KIOSK_CHANNELS.sessionEnded]]);
    for (const value of Object.values(kiosk)) expect(typeof value).toBe('function');
  });
});
