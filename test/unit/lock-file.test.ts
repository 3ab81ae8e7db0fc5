import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, removeDeadLockTemps } from '../../service/adapters/lowdb/shared-collection.js';

/** The pid of a process that has exited (and been reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

/** How long taking `lockFile` takes, in milliseconds (the lock is released again). */
async function timeToTake(lockFile: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  const release = await acquireLock(lockFile, timeoutMs);
  const elapsed = Date.now() - started;
  await release();
  return elapsed;
}

const makeOld = (file: string) => utimesSync(file, new Date(Date.now() - 5000), new Date(Date.now() - 5000));

describe('lock files of shared collections', () => {
  let dir: string;
  let lock: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-lock-'));
    lock = path.join(dir, 'audit-log.json.lock');
  });

  it('take over at once an empty lock file that a crash left behind', async () => {
    writeFileSync(lock, '');
    makeOld(lock);
    expect(await timeToTake(lock)).toBeLessThan(1000);
    expect(existsSync(lock)).toBe(false);
  });

  it('take over at once the lock of a process that is gone, in the old and the new format', async () => {
    writeFileSync(lock, `${deadPid()}:0:dead`);
    expect(await timeToTake(lock)).toBeLessThan(1000);
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), instance: 'gone', nonce: 'x' }));
    expect(await timeToTake(lock)).toBeLessThan(1000);
  });

  it('take over at once the lock of an earlier process with our own pid (a restarted container)', async () => {
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), instance: 'before-the-restart', nonce: 'x' }));
    expect(await timeToTake(lock)).toBeLessThan(1000);
  });

  it('wait for a live holder, in this process or another, and never break its lock', async () => {
    const release = await acquireLock(lock, 1000);
    let taken = false;
    const second = acquireLock(lock, 5000).then((r) => ((taken = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(taken).toBe(false);
    await release();
    await (
      await second
    )();

    // The parent process (the test runner) is alive.
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), instance: 'runner', nonce: 'x' }));
    await expect(acquireLock(lock, 300)).rejects.toThrow(/timed out/);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.ppid);
  });

  it('give a garbled lock file a moment to be written, then take it over', async () => {
    writeFileSync(lock, '{"pid":');
    await expect(acquireLock(lock, 300)).rejects.toThrow(/timed out/);
    expect(await timeToTake(lock)).toBeLessThan(2000);
  });

  it('appear complete: another process never reads an empty lock file', async () => {
    const seen = new Set<string>();
    let done = false;
    const reader = (async () => {
      while (!done) seen.add(await readFile(lock, 'utf8').catch(() => 'missing'));
    })();
    for (let i = 0; i < 300; i++) await (await acquireLock(lock, 1000))();
    done = true;
    await reader;
    expect(seen.has(''), 'an empty lock file was visible').toBe(false);
    expect(
      [...seen].some((s) => s.startsWith('{"pid":')),
      'the reader saw the lock held',
    ).toBe(true);
  });

  it('leave nothing behind, and what dead processes left is removed', async () => {
    await (
      await acquireLock(lock, 1000)
    )();
    expect(readdirSync(dir)).toEqual([]);
    const dead = deadPid();
    writeFileSync(`${lock}.${dead}.0a1b2c.tmp`, '{}');
    writeFileSync(`${lock}.stale.${dead}.0`, '{}');
    writeFileSync(`${lock}.${process.ppid}.0a1b2c.tmp`, '{}');
    await removeDeadLockTemps(lock);
    expect(readdirSync(dir)).toEqual([`audit-log.json.lock.${process.ppid}.0a1b2c.tmp`]);
  });
});
