import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acquireSingleInstance, CRASH_RELOAD_DELAY_MS, createRetry, installRecovery, UNRESPONSIVE_GRACE_MS } from '../../main/recovery.js';
import { loginUrlOf, WIPE_STEP_DEADLINE_MS, wipeAndShowLogin, wipeSession } from '../../main/wipe.js';
import { FakeApp, fakeEvent, FakeSession, FakeWebContents, globalTimers, recordingLog } from '../support/kiosk-electron.js';

const SERVICE = 'http://127.0.0.1:41234';
const LOGIN = `${SERVICE}/login`;
const ALL_CLEARED = ['clearStorageData', 'clearCache', 'clearAuthCache', 'clearHostResolverCache'];

describe('wipe between visitors', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('clears storage, cache, auth cache and host cache, then loads the login screen', async () => {
    const contents = new FakeWebContents();
    await wipeAndShowLogin(contents, LOGIN, recordingLog(), globalTimers);
    expect(contents.session.calls).toEqual(ALL_CLEARED);
    expect(contents.loaded).toEqual([LOGIN]);
  });

  it('a failing step is logged and the other steps still run', async () => {
    const session = new FakeSession();
    session.failing.add('clearStorageData');
    const log = recordingLog();
    expect(await wipeSession(session, log, globalTimers)).toBe(false);
    expect(session.calls).toEqual(ALL_CLEARED);
    expect(log.entries).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ step: 'storage' }) })]);
  });

  it('a step that never settles is given up after its deadline and logged, and the login screen still comes', async () => {
    vi.useFakeTimers();
    const contents = new FakeWebContents();
    contents.session.hanging.add('clearStorageData');
    contents.session.hanging.add('clearHostResolverCache');
    const log = recordingLog();
    let done = false;
    void wipeAndShowLogin(contents, LOGIN, log, globalTimers).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(WIPE_STEP_DEADLINE_MS - 1);
    expect(contents.loaded).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(contents.session.calls).toEqual(ALL_CLEARED);
    expect(contents.loaded).toEqual([LOGIN]);
    const timedOut = log.entries.filter((e) => e.message === 'kiosk wipe step timed out');
    expect(timedOut.map((e) => [e.level, e.fields?.step])).toEqual([
      ['error', 'storage'],
      ['error', 'hostResolverCache'],
    ]);
    expect(log.entries.map((e) => e.message)).toContain('kiosk login screen shown after an incomplete wipe');
    expect(log.entries.map((e) => e.message)).not.toContain('kiosk session wiped');
  });

  it('the login screen is at /login of the service origin', () => {
    expect(loginUrlOf('https://shomei.example.ac.jp/')).toBe('https://shomei.example.ac.jp/login');
  });
});

describe('crash recovery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recovering() {
    const contents = new FakeWebContents();
    const log = recordingLog();
    const failures: string[] = [];
    installRecovery({
      contents,
      timers: globalTimers,
      log,
      recover: () => wipeAndShowLogin(contents, LOGIN, log, globalTimers),
      isServiceUrl: (url) => url.startsWith(`${SERVICE}/`),
      onServiceLoadFailed: ({ url }) => void failures.push(url),
    });
    return { contents, log, failures };
  }

  it('a crashed renderer is wiped and back at the login screen within 5 seconds', async () => {
    const { contents } = recovering();
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect(contents.loaded).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.session.calls).toEqual(ALL_CLEARED);
    expect(contents.loaded).toEqual([LOGIN]);
    expect(CRASH_RELOAD_DELAY_MS).toBeLessThan(5_000);
  });

  it('a crashed renderer is back at the login screen within 5 seconds even when every wipe step hangs, and recovers again later', async () => {
    const { contents, log } = recovering();
    for (const step of ALL_CLEARED) contents.session.hanging.add(step);
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.loaded).toEqual([LOGIN]);
    expect(log.entries.filter((e) => e.message === 'kiosk wipe step timed out')).toHaveLength(4);
    contents.emit('render-process-gone', fakeEvent(), { reason: 'oom', exitCode: 0 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.loaded).toEqual([LOGIN, LOGIN]);
  });

  it('a page unresponsive past the grace period is at the login screen within 5 seconds even when the storage wipe hangs', async () => {
    const { contents } = recovering();
    contents.session.hanging.add('clearStorageData');
    contents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.crashes).toBe(1);
    expect(contents.loaded).toEqual([LOGIN]);
  });

  it('an unresponsive page that recovers by itself is left alone', async () => {
    const { contents } = recovering();
    contents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(UNRESPONSIVE_GRACE_MS - 1);
    contents.emit('responsive');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(contents.crashes).toBe(0);
    expect(contents.loaded).toEqual([]);
  });

  it('a page unresponsive past the grace period is replaced: renderer crashed, wipe, login within 5 seconds', async () => {
    const { contents } = recovering();
    contents.emit('unresponsive');
    contents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(UNRESPONSIVE_GRACE_MS).toBeLessThanOrEqual(3_000);
    expect(contents.crashes).toBe(1);
    expect(contents.session.calls).toEqual(ALL_CLEARED);
    expect(contents.loaded).toEqual([LOGIN]);
    // The renderer-gone caused by our own crash does not start a second recovery.
    contents.emit('render-process-gone', fakeEvent(), { reason: 'killed', exitCode: 9 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.loaded).toEqual([LOGIN]);
  });

  it('a service page that fails to load is reported; aborted loads, subframes and other sites are not', () => {
    const { contents, failures } = recovering();
    contents.emit('did-fail-load', fakeEvent(), -3, 'ERR_ABORTED', LOGIN, true);
    contents.emit('did-fail-load', fakeEvent(), -102, 'ERR_CONNECTION_REFUSED', LOGIN, false);
    contents.emit('did-fail-load', fakeEvent(), -105, 'ERR_NAME_NOT_RESOLVED', 'https://idp.example.ac.jp/sso', true);
    contents.emit('did-fail-load', fakeEvent(), -102, 'ERR_CONNECTION_REFUSED', LOGIN, true);
    expect(failures).toEqual([LOGIN]);
  });

  it('a retry scheduled again replaces the pending one', async () => {
    const retry = createRetry(globalTimers);
    const runs: string[] = [];
    retry.schedule(10_000, () => runs.push('first'));
    retry.schedule(10_000, () => runs.push('second'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual(['second']);
  });
});

describe('single instance', () => {
  it('the first kiosk takes the lock and focuses its window when started again', () => {
    const app = new FakeApp();
    let focused = 0;
    expect(acquireSingleInstance(app, () => (focused += 1))).toBe(true);
    app.emit('second-instance', fakeEvent(), ['shomei'], '/');
    expect(focused).toBe(1);
    expect(app.quits).toBe(0);
  });

  it('a second kiosk quits at once', () => {
    const app = new FakeApp();
    app.hasLock = false;
    expect(acquireSingleInstance(app, () => {})).toBe(false);
    expect(app.quits).toBe(1);
    expect(app.count('second-instance')).toBe(0);
  });
});
