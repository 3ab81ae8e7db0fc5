import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Terminal, TerminalStore } from '../../domain/terminals/model.js';
import { Collection } from './collection.js';

export const TERMINALS_FILE = 'terminals.json';

const copy = <T>(value: T): T => structuredClone(value);

/** Enrolled terminals in DATA_DIR/terminals.json (a handful of records; read on every kiosk request). */
export async function openTerminalStore(dataDir: string): Promise<TerminalStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const terminals = await Collection.open<Terminal>(path.join(dataDir, TERMINALS_FILE), (t) => t.id);
  return {
    get: async (id) => copy(terminals.records.get(id) ?? null),
    list: async () => [...terminals.records.values()].map(copy),
    async insert(terminal, clashes) {
      for (const stored of terminals.records.values()) if (stored.id === terminal.id || clashes(stored)) return false;
      terminals.records.set(terminal.id, copy(terminal));
      await terminals.commit();
      return true;
    },
    async update(id, change) {
      const current = terminals.records.get(id);
      if (!current) return null;
      const next = change(copy(current));
      if (!next) return null;
      terminals.records.set(id, { ...copy(next), id });
      await terminals.commit();
      return copy(next);
    },
    flush: () => terminals.flush(),
  };
}
