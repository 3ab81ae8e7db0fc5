import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndKill, transpileTree } from '../support/kill-child.js';
import { openLowdbStore } from '../../service/adapters/lowdb/store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The child: writes accounts, tokens, updates and consumes as fast as it can, printing each acknowledgement. */
const CHILD = `
import { openLowdbStore } from './service/adapters/lowdb/store.js';
const [dir, round] = process.argv.slice(2);
const store = await openLowdbStore(dir, { pruneIntervalMs: 0 });
const far = new Date(Date.now() + 24 * 3600e3).toISOString();
const now = () => new Date().toISOString();
const ack = (line) => process.stdout.write(line + '\\n');
const accounts = [], tokens = [];
let i = 0;
const inFlight = new Set();
ack('READY');
function next() {
  const k = i++;
  const id = 'r' + round + '-' + k;
  switch (k % 4) {
    case 0:
      return store.accounts.insert({
        id, idpEntityId: 'https://idp.example/', userId: 'u-' + id, mail: null, idpMail: null,
        displayName: '学生 ' + id, nameKanji: '学生', nameKana: 'ガクセイ', nameRoman: 'GAKUSEI', studentIds: [id],
        affiliation: null, language: 'ja', createdAt: now(), lastLoginAt: now(), previousLoginAt: null,
      }).then((ok) => { if (!ok) throw new Error('duplicate ' + id); accounts.push(id); ack('A ' + id); });
    case 1:
      return store.tokens.insert({
        hash: 'h-' + id, purpose: 'mail.register', accountId: 'x', mail: id + '@example.jp',
        createdAt: now(), expiresAt: far, usedAt: null,
      }).then(() => { tokens.push('h-' + id); ack('T h-' + id); });
    case 2: {
      const target = accounts[Math.floor(Math.random() * accounts.length)];
      if (!target) return Promise.resolve();
      return store.accounts.update(target, { mail: 'm' + k + '@example.jp' }).then(() => ack('U ' + target + ' ' + k));
    }
    default: {
      const hash = tokens.shift();
      if (!hash) return Promise.resolve();
      return store.tokens.consume(hash, 'mail.register', now()).then((r) => { if (!r.ok) throw new Error(r.reason); ack('C ' + hash); });
    }
  }
}
for (;;) {
  while (inFlight.size < 8) {
    const p = next().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.race(inFlight);
}
`;

interface Acked {
  accounts: Set<string>;
  tokens: Set<string>;
  consumed: Set<string>;
  /** Account id → the highest acknowledged update number (the mail is m<k>@…). */
  updates: Map<string, number>;
}

/** Runs the child until it has acknowledged something, kills it with SIGKILL after a random delay, returns complete lines. */

describe('lowdb store durability under kill -9', () => {
  let buildDir: string;
  let script: string;
  let dataDir: string;

  beforeAll(() => {
    mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
    buildDir = mkdtempSync(path.join(root, 'node_modules', '.cache', 'shomei-durability-'));
    transpileTree(path.join(root, 'service/adapters/lowdb/store.ts'), buildDir);
    script = path.join(buildDir, 'child.mjs');
    writeFileSync(script, CHILD);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-durability-'));
  });
  afterAll(() => {
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and only valid JSON files, round after round', async () => {
    const acked: Acked = { accounts: new Set(), tokens: new Set(), consumed: new Set(), updates: new Map() };
    for (let round = 1; round <= 6; round++) {
      const lines = await runAndKill(script, dataDir, round, /\n[ATUC] /);
      let count = 0;
      for (const line of lines) {
        const [kind, id, k] = line.split(' ');
        if (kind === 'A') acked.accounts.add(id!);
        else if (kind === 'T') acked.tokens.add(id!);
        else if (kind === 'C') acked.consumed.add(id!);
        else if (kind === 'U') acked.updates.set(id!, Math.max(Number(k), acked.updates.get(id!) ?? -1));
        else continue;
        count++;
      }
      expect(count).toBeGreaterThan(0);

      for (const name of readdirSync(dataDir).filter((f) => f.endsWith('.json'))) {
        expect(() => JSON.parse(readFileSync(path.join(dataDir, name), 'utf8')), name).not.toThrow();
      }

      const store = await openLowdbStore(dataDir, { pruneIntervalMs: 0 });
      try {
        expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        for (const id of acked.accounts) {
          const account = await store.accounts.findByIdentity('https://idp.example/', `u-${id}`);
          expect(account?.id, `account ${id}`).toBe(id);
        }
        for (const hash of acked.tokens) expect(await store.tokens.get(hash), `token ${hash}`).not.toBeNull();
        for (const hash of acked.consumed) expect((await store.tokens.get(hash))?.usedAt, `consumed ${hash}`).not.toBeNull();
        for (const [id, k] of acked.updates) {
          // The last acknowledged update, or a later one that made it to disk unacknowledged.
          const mail = (await store.accounts.get(id))?.mail ?? '';
          expect(Number(/^m(\d+)@/.exec(mail)?.[1] ?? -1), `update of ${id}`).toBeGreaterThanOrEqual(k);
        }
      } finally {
        await store.close();
      }
    }
    expect(acked.accounts.size).toBeGreaterThan(10);
    expect(acked.tokens.size).toBeGreaterThan(10);
  });
});
