import { randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Collection } from './collection.js';
import { activeUnit, type Unit } from './unit-of-work.js';

/**
 * A collection that two processes may use on the same DATA_DIR: the running service and the
 * staff CLI (`npm run admin`). lowdb keeps a collection in memory and never looks at its file
 * again, so on its own a CLI write would be invisible to the service and overwritten by its
 * next write. Here:
 *
 * - every read first compares the file's identity (inode, size, mtime and ctime in ns) with the
 *   one last seen and re-reads the file when another process replaced it (each durable write
 *   renames a new file into place, so the identity changes);
 * - every write holds a lock file (`<file>.lock`, which appears complete with its owner) across
 *   re-read → change → durable write, so two processes never lose each other's changes; a
 *   crash cannot block the next process (a lock whose owner is gone is taken over at once).
 *
 * Meant for small collections written rarely (staff users, the audit log): a write costs one
 * lock file and one stat more than a plain Collection.
 *
 * Inside a unit of work of the service's family (unit-of-work.ts), the lock is taken at the first
 * write and held until the unit has committed or rolled back, so the other process never sees or
 * interleaves with half a transaction.
 */
export class SharedCollection<R extends object> {
  #collection: Collection<R>;
  #signature: string;
  /** Serializes this process's writes (the lock file serializes processes). */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly keyOf: (record: R) => string,
    collection: Collection<R>,
    signature: string,
    private readonly lockTimeoutMs: number,
  ) {
    this.#collection = collection;
    this.#signature = signature;
  }

  static async open<R extends object>(file: string, keyOf: (record: R) => string, options: { lockTimeoutMs?: number } = {}): Promise<SharedCollection<R>> {
    await removeDeadLockTemps(`${file}.lock`);
    const signature = await signatureOf(file);
    const collection = await Collection.open<R>(file, keyOf);
    return new SharedCollection(file, keyOf, collection, signature, options.lockTimeoutMs ?? 10_000);
  }

  /** Runs `fn` over the current records (re-read first when another process changed the file). */
  async read<T>(fn: (records: ReadonlyMap<string, R>) => T): Promise<T> {
    if ((await signatureOf(this.file)) !== this.#signature) {
      // Re-read under the lock: opening a collection removes leftover temporary files, which
      // must not hit the temporary file of a write in progress in the other process.
      await this.write(() => ({ changed: false, result: undefined }));
    }
    return fn(this.#collection.records);
  }

  /**
   * Runs `fn` over the current records under the lock; `fn` mutates the Map synchronously and
   * returns whether it changed anything. Resolves once the change is durable.
   */
  write<T>(fn: (records: Map<string, R>) => { changed: boolean; result: T }): Promise<T> {
    const unit = activeUnit(path.dirname(this.file));
    if (unit) return this.#inUnit(unit, fn);
    const run = this.#queue.then(() => this.#locked(fn));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #locked<T>(fn: (records: Map<string, R>) => { changed: boolean; result: T }): Promise<T> {
    const release = await acquireLock(`${this.file}.lock`, this.lockTimeoutMs);
    try {
      await this.#refresh();
      const { changed, result } = fn(this.#collection.records);
      if (changed) {
        await this.#collection.commit();
        this.#signature = await signatureOf(this.file);
      }
      return result;
    } finally {
      await release();
    }
  }

  async #inUnit<T>(unit: Unit, fn: (records: Map<string, R>) => { changed: boolean; result: T }): Promise<T> {
    const lockFile = `${this.file}.lock`;
    if (!unit.holds.has(lockFile)) {
      const release = await acquireLock(lockFile, this.lockTimeoutMs);
      unit.holds.set(lockFile, {
        end: async (committed) => {
          try {
            // Rolled back: the file holds what is true; committed: it holds our records.
            if (!committed) this.#collection = await Collection.open<R>(this.file, this.keyOf);
            this.#signature = await signatureOf(this.file);
          } finally {
            await release();
          }
        },
      });
      await this.#refresh();
    }
    const { changed, result } = fn(this.#collection.records);
    if (changed) await this.#collection.commit();
    return result;
  }

  async #refresh(): Promise<void> {
    const now = await signatureOf(this.file);
    if (now === this.#signature) return;
    // Taken before reading: should the file change again meanwhile, the next call re-reads.
    this.#signature = now;
    this.#collection = await Collection.open<R>(this.file, this.keyOf);
  }

  flush(): Promise<void> {
    return this.#collection.flush();
  }
}

async function signatureOf(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
}

/** A lock held this long is left over from a process we cannot ask (a write takes milliseconds). */
const STALE_LOCK_MS = 30_000;
/**
 * An empty or unreadable lock file older than this is left over: ours appear complete (link),
 * and the fallback without hard links fills its file within milliseconds.
 */
const GARBLED_LOCK_MS = 1_000;
/** Hard links unsupported here: create the lock file exclusively and fill it instead. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** Tells this process apart from an earlier one with the same pid (a container starts every run as pid 1). */
const INSTANCE = randomBytes(8).toString('hex');
const HOST = hostname();

/** Who holds a lock, as written in the lock file. `host` and `instance` are null in older lock files. */
interface LockOwner {
  pid: number;
  host: string | null;
  instance: string | null;
}

/**
 * Takes `lockFile`, waiting (with back-off) while a live process holds it. The owner is written
 * to a temporary file first and hard-linked into place, so the lock file never exists without
 * its owner; a lock whose owner is gone is taken over at once (see `isStale`).
 */
export async function acquireLock(lockFile: string, timeoutMs: number): Promise<() => Promise<void>> {
  const started = Date.now();
  const owner = JSON.stringify({ pid: process.pid, host: HOST, instance: INSTANCE, nonce: randomBytes(8).toString('hex') });
  const temp = `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, owner, { flag: 'wx', mode: 0o600 });
  let touched = Date.now();
  try {
    for (let attempt = 0; ; attempt++) {
      // A link keeps the file's time: after a long wait, a fresh time, or others would judge our new lock old.
      if (Date.now() - touched > GARBLED_LOCK_MS) {
        touched = Date.now();
        await utimes(temp, touched / 1000, touched / 1000);
      }
      if (await placeLock(temp, lockFile, owner)) {
        return async () => {
          // Remove only our own lock (a stale-lock breaker may have taken it over).
          const content = await readFile(lockFile, 'utf8').catch(() => null);
          if (content === owner) await unlink(lockFile).catch(() => {});
        };
      }
      const stale = await isStale(lockFile);
      if (stale !== null) {
        await breakLock(lockFile, stale, attempt);
        continue;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for the lock ${lockFile}`);
      await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 100)));
    }
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/** Puts our lock in place, complete or not at all; false when another lock is there. */
async function placeLock(temp: string, lockFile: string, owner: string): Promise<boolean> {
  try {
    await link(temp, lockFile);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw e;
  }
  try {
    const handle = await open(lockFile, 'wx', 0o600);
    try {
      await handle.writeFile(owner, 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * The content of `lockFile` when it is left over, else null: its owner process is gone (a pid
 * not alive on this host, or an earlier process with our own pid), it is empty or garbled for
 * longer than a moment, or it is simply very old.
 */
async function isStale(lockFile: string): Promise<string | null> {
  let content: string;
  let mtimeMs: number;
  try {
    [content, mtimeMs] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile).then((s) => s.mtimeMs)]);
  } catch {
    return null; // gone already: the next attempt will take it
  }
  const age = Date.now() - mtimeMs;
  const owner = parseOwner(content);
  if (!owner) return age > GARBLED_LOCK_MS ? content : null;
  if (ownerIsGone(owner)) return content;
  return age > STALE_LOCK_MS ? content : null;
}

function parseOwner(content: string): LockOwner | null {
  // Older versions wrote `pid:time:random`.
  const legacy = /^(\d+):/.exec(content);
  if (legacy) return { pid: Number(legacy[1]), host: null, instance: null };
  try {
    const o = JSON.parse(content) as Partial<Record<keyof LockOwner, unknown>>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string' && typeof o.instance === 'string') {
      return { pid: o.pid, host: o.host, instance: o.instance };
    }
  } catch {
    // garbled
  }
  return null;
}

function ownerIsGone(owner: LockOwner): boolean {
  // Another machine sharing DATA_DIR: its processes cannot be asked; only age tells.
  if (owner.host !== null && owner.host !== HOST) return false;
  if (owner.pid === process.pid) return owner.instance !== null && owner.instance !== INSTANCE;
  return !isAlive(owner.pid);
}

/** Removes a left-over lock whose content was `judged` stale. */
async function breakLock(lockFile: string, judged: string, attempt: number): Promise<void> {
  // Move it aside first: of several processes breaking the same stale lock, one wins the rename.
  const aside = `${lockFile}.stale.${process.pid}.${attempt}`;
  if (
    !(await rename(lockFile, aside).then(
      () => true,
      () => false,
    ))
  )
    return;
  // Another breaker may have put its live lock in place since we looked: put that one back.
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== null && moved !== judged) await link(aside, lockFile).catch(() => {});
  await unlink(aside).catch(() => {});
}

/**
 * Removes what processes that died mid-way left next to `lockFile`: owner files they never
 * linked (`<lock>.<pid>.<random>.tmp`) and stale locks they had moved aside (`<lock>.stale.<pid>.<n>`).
 */
export async function removeDeadLockTemps(lockFile: string): Promise<void> {
  const dir = path.dirname(lockFile);
  const prefix = `${path.basename(lockFile)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:(\d+)\.[0-9a-f]+\.tmp|stale\.(\d+)\.\d+)$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1] ?? m[2]);
    if (pid !== process.pid && !isAlive(pid)) await unlink(path.join(dir, name)).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
