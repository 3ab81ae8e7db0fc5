import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { Collection } from './collection.js';

/**
 * A collection that two processes may use on the same DATA_DIR: the running service and the
 * staff CLI (`npm run admin`). lowdb keeps a collection in memory and never looks at its file
 * again, so on its own a CLI write would be invisible to the service and overwritten by its
 * next write. Here:
 *
 * - every read first compares the file's identity (inode, size, mtime and ctime in ns) with the
 *   one last seen and re-reads the file when another process replaced it (each durable write
 *   renames a new file into place, so the identity changes);
 * - every write holds a lock file (`<file>.lock`, created exclusively) across
 *   re-read → change → durable write, so two processes never lose each other's changes.
 *
 * Meant for small collections written rarely (staff users, the audit log): a write costs one
 * lock file and one stat more than a plain Collection.
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

  static async open<R extends object>(
    file: string,
    keyOf: (record: R) => string,
    options: { lockTimeoutMs?: number } = {},
  ): Promise<SharedCollection<R>> {
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

/** Lock files older than this are left over from a crashed process (a write takes milliseconds). */
const STALE_LOCK_MS = 30_000;

/** Creates `lockFile` exclusively, waiting (with back-off) while another process holds it. */
export async function acquireLock(lockFile: string, timeoutMs: number): Promise<() => Promise<void>> {
  const started = Date.now();
  const token = `${process.pid}:${started}:${Math.random().toString(36).slice(2)}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(token, 'utf8');
      } finally {
        await handle.close();
      }
      return async () => {
        // Remove only our own lock (a stale-lock breaker may have taken it over).
        const content = await readFile(lockFile, 'utf8').catch(() => null);
        if (content === token) await unlink(lockFile).catch(() => {});
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await isStale(lockFile)) {
      // Move it aside first: of several processes breaking the same stale lock, one wins the rename.
      const aside = `${lockFile}.stale.${process.pid}.${attempt}`;
      if (await rename(lockFile, aside).then(() => true, () => false)) await unlink(aside).catch(() => {});
      continue;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for the lock ${lockFile}`);
    await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 100)));
  }
}

async function isStale(lockFile: string): Promise<boolean> {
  let content: string;
  let mtimeMs: number;
  try {
    [content, mtimeMs] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile).then((s) => s.mtimeMs)]);
  } catch {
    return false; // gone already: the next attempt will create it
  }
  const pid = Number(content.split(':')[0]);
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) return true;
  return Date.now() - mtimeMs > STALE_LOCK_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
