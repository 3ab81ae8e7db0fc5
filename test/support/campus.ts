import { afterAll, beforeAll } from 'vitest';
import type { Account } from '../../service/domain/model.js';
import { account, TestClock } from './factories.js';
import { startService, type RunningService } from './service.js';
import { enrollTerminal, proofHeaders, type EnrolledTerminal } from './terminal.js';

/** The kiosk shell's User-Agent: anyone can send it, so on its own it makes nothing a kiosk. */
export const KIOSK_UA = 'Mozilla/5.0 (X11; Linux x86_64) ShomeiKiosk/1.0';

export interface CampusFixture {
  readonly clock: TestClock;
  /** Enrolled demo student 2101001, who places the campus orders. */
  readonly student: Account;
  /** Another account, with no student ID, that must never see the student's jobs. */
  readonly stranger: Account;
  /** The running service (set by the suite's beforeAll). */
  readonly service: RunningService;
  /** A terminal enrolled in that service (LIB-1F-01). */
  readonly terminal: EnrolledTerminal;
  /** The proof the terminal's shell adds to a request, at the service's (pinned) time. */
  kioskHeaders(method: string, url: string | URL): Record<string, string>;
}

/**
 * A demo service (demo registry, real PDFs) for one suite, with a pinned clock and two accounts:
 * started before the suite's tests, stopped after them. `mailPrefix` keeps the suites' addresses apart.
 */
export function useCampusService(mailPrefix: string): CampusFixture {
  let running: RunningService | null = null;
  let terminal: EnrolledTerminal | null = null;
  const fixture: CampusFixture = {
    clock: new TestClock(new Date('2026-04-01T09:00:00Z')),
    student: account({ displayName: '山田 太郎', nameKanji: '山田 太郎', mail: `${mailPrefix}@example.ac.jp`, studentIds: ['2101001'] }),
    stranger: account({ displayName: '鈴木 一郎', mail: `${mailPrefix}-other@example.ac.jp`, studentIds: [] }),
    get service(): RunningService {
      if (!running) throw new Error('the campus service is not running (used outside its suite)');
      return running;
    },
    get terminal(): EnrolledTerminal {
      if (!terminal) throw new Error('no terminal is enrolled (used outside its suite)');
      return terminal;
    },
    kioskHeaders: (method, url) => proofHeaders(fixture.terminal.key, method, url, fixture.clock.now()),
  };
  beforeAll(async () => {
    running = await startService({}, { clock: fixture.clock });
    terminal = await enrollTerminal(running.deps.terminals, 'LIB-1F-01');
    await running.stores.store.accounts.insert(fixture.student);
    await running.stores.store.accounts.insert(fixture.stranger);
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });
  return fixture;
}
