import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { temporaryPrefixOf, writeFileDurably } from '../files/durable-write.js';

/** A data file exists but cannot be used: the service must not start over it (that would lose data). */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `Data file ${file} is unreadable (${reason}). Shomei refuses to start rather than overwrite it: ` +
        'restore the file from a backup, or move it away to start with an empty collection.',
    );
    this.name = 'DataFileError';
  }
}

export interface DurableFileOptions<T> {
  /** Checks and converts the parsed JSON; throw (any Error) to refuse the file. */
  parse?: (json: unknown) => T;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * A lowdb adapter that survives `kill -9` and power loss: each write goes through
 * `writeFileDurably` (temporary file fsynced, renamed over the target, directory fsynced).
 *
 * Writes to one file are serialized. Writes requested while one is in progress are coalesced
 * into the next one, which serializes the latest data given; every caller's promise resolves
 * only once a write that started after its call (so containing its change) is durable.
 */
export class DurableFile<T> implements Adapter<T> {
  readonly file: string;
  readonly #dir: string;
  readonly #tempPrefix: string;
  readonly #parse: (json: unknown) => T;
  #latest: T | undefined;
  #waiters: Waiter[] = [];
  #draining: Promise<void> | null = null;

  constructor(file: string, options: DurableFileOptions<T> = {}) {
    this.file = path.resolve(file);
    this.#dir = path.dirname(this.file);
    this.#tempPrefix = temporaryPrefixOf(this.file);
    this.#parse = options.parse ?? ((json) => json as T);
  }

  /** The file's data, or null when it does not exist. Removes temporary files a crash left behind. */
  async read(): Promise<T | null> {
    if (!this.#draining) await this.#removeLeftovers();
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    // An empty file is no more a valid database than a truncated one: refuse it too.
    if (text.trim() === '') throw new DataFileError(this.file, 'the file is empty');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new DataFileError(this.file, `not valid JSON: ${(e as Error).message}`);
    }
    try {
      return this.#parse(json);
    } catch (e) {
      throw new DataFileError(this.file, (e as Error).message);
    }
  }

  write(data: T): Promise<void> {
    this.#latest = data;
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#draining ??= this.#drain();
    return done;
  }

  /** Resolves once every write requested so far is durable (or has failed). */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiters.length > 0) {
        const batch = this.#waiters;
        this.#waiters = [];
        try {
          // Serialized now, after every call in `batch`: the snapshot contains all their changes.
          const text = JSON.stringify(this.#latest);
          await writeFileDurably(this.file, text);
          for (const w of batch) w.resolve();
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.#draining = null;
    }
  }

  async #removeLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    const leftovers = names.filter((n) => n.startsWith(this.#tempPrefix) && n.endsWith('.tmp'));
    await Promise.all(leftovers.map((n) => unlink(path.join(this.#dir, n)).catch(() => {})));
  }
}
