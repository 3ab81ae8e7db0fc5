/**
 * npm run bench — lowdb rewrites a whole collection file per write (DESIGN.md), so the cost of
 * the hot operations grows with the number of live records. This prints operations per second
 * and latency percentiles for them at two sizes; it asserts nothing (see README "Benchmarks").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLowdbStore } from '../service/adapters/lowdb/store.js';
import { hashSecret, systemClock, systemRandom } from '../service/domain/crypto.js';
import { SessionService } from '../service/domain/sessions.js';
import { measure, report } from './measure.js';

for (const live of [100, 5000]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-bench-'));
  const store = await openLowdbStore(dir, { pruneIntervalMs: 0 });
  const sessions = new SessionService(store, systemClock, systemRandom, {
    idleSeconds: 1800,
    kioskIdleSeconds: 180,
    absoluteSeconds: 8 * 3600,
    touchEverySeconds: 60,
  });
  for (let i = 0; i < live; i += 1) await sessions.create({ kiosk: false, accountId: 'bench' });
  const existing = await sessions.create({ kiosk: false, accountId: 'bench' });

  report(`store, ${live} live sessions`, [
    await measure('start a session (one durable write)', 200, () => sessions.create({ kiosk: false, accountId: 'bench' })),
    await measure('load a session (no write)', 2000, () => sessions.load(existing.id)),
    await measure('issue + consume a one-time token (two writes)', 200, async () => {
      const token = systemRandom.token(32);
      const now = new Date();
      await store.tokens.insert({
        hash: hashSecret(token),
        purpose: 'mail.register',
        accountId: 'bench',
        mail: 'bench@example.jp',
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 1800e3).toISOString(),
        usedAt: null,
      });
      await store.tokens.consume(hashSecret(token), 'mail.register', now.toISOString());
    }),
  ]);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
