import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { terminalNameKey, type Terminal, type TerminalStore } from '../../domain/terminals/model.js';
import { copy } from './records.js';
import { Collection } from './collection.js';

export const TERMINALS_FILE = 'terminals.json';

/** Enrolled terminals in DATA_DIR/terminals.json (a handful of records; read on every kiosk request). */
export async function openTerminalStore(dataDir: string): Promise<TerminalStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const terminals = await Collection.open<Terminal>(path.join(dataDir, TERMINALS_FILE), (t) => t.id);
  // Terminals stored before their name key was kept: the key their name folds to.
  const addNameKeys = () => {
    for (const t of terminals.records.values()) if (t.nameKey === undefined) t.nameKey = t.embedded ? null : terminalNameKey(t.name);
  };
  addNameKeys();
  terminals.onReload(addNameKeys);
  return {
    get: async (id) => copy(terminals.records.get(id) ?? null),
    list: async () => [...terminals.records.values()].map(copy),
    async insert(terminal) {
      const key = terminal.nameKey ?? null;
      for (const stored of terminals.records.values()) {
        if (stored.id === terminal.id || (key !== null && stored.nameKey === key)) return false;
      }
      terminals.records.set(terminal.id, copy(terminal));
      await terminals.commit();
      return true;
    },
    async update(id, expected, changes) {
      const current = terminals.records.get(id);
      if (!current || current.status !== expected.status || current.publicKey !== expected.publicKey) return null;
      const next: Terminal = { ...current, ...copy(changes), id };
      terminals.records.set(id, next);
      await terminals.commit();
      return copy(next);
    },
    flush: () => terminals.flush(),
  };
}
