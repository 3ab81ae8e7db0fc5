/**
 * The lowdb family's unit of work. Every port call of a family (DATA_DIR) runs as a unit, one at a
 * time behind one gate; a call made while the current async context already runs a unit of the
 * same family (a transaction's work, or a store calling itself) joins that unit instead of waiting
 * for it. Inside a unit, collections only mark themselves changed and PDFs are written under a
 * pending name; when the unit's work resolves it commits:
 *
 * - one changed file: written durably on its own (a rename is atomic, as without transactions);
 * - more: the journal (journal.ts) is written durably first — the one commit point — then every
 *   file, then the journal is deleted.
 *
 * When the work throws, the changed collections are read back from their files (which hold the
 * last committed state, every earlier unit having finished) and pending PDFs are deleted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { renameWithRetry, syncDirectory, writeFileDurably } from '../files/durable-write.js';
import { applyJournal, writeJournal, type Journal } from './journal.js';

/** A collection file a unit changed. */
export interface UnitFile {
  /** Absolute path, directly in DATA_DIR. */
  readonly file: string;
  /** The content to write now (JSON-serializable). */
  snapshot(): unknown;
  /** Puts the in-memory records back to what the file holds. */
  reload(): Promise<void>;
}

/** Something a unit holds until it ends, e.g. a shared collection's lock file. */
export interface UnitHold {
  /** `committed`: the unit's files are durable; otherwise it was rolled back. Releases what it holds. */
  end(committed: boolean): Promise<void>;
}

export class Unit {
  readonly files = new Set<UnitFile>();
  /** Final PDF path → its pending path (absolute). */
  readonly pdfs = new Map<string, string>();
  readonly holds = new Map<string, UnitHold>();
  done = false;

  constructor(readonly family: LowdbUnitOfWork) {}

  changed(file: UnitFile): void {
    this.files.add(file);
  }
}

const current = new AsyncLocalStorage<Unit>();

/** The running unit of the family in `dir` that the current async context belongs to, if any. */
export function activeUnit(dir: string): Unit | undefined {
  const unit = current.getStore();
  return unit && !unit.done && unit.family.dir === dir ? unit : undefined;
}

export class LowdbUnitOfWork {
  readonly dir: string;
  #tail: Promise<unknown> = Promise.resolve();
  /** Units queued or running (including committing). */
  #pending = 0;
  /** Set when a committed journal could not be applied: only a restart (which replays it) is safe. */
  #broken: Error | null = null;

  constructor(dataDir: string) {
    this.dir = path.resolve(dataDir);
  }

  /** Runs `work` as a unit of this family (or inside the unit the caller already runs). */
  run<T>(work: () => Promise<T>): Promise<T> {
    const joined = current.getStore();
    if (joined && !joined.done && joined.family === this) return work();
    this.#pending += 1;
    const turn = this.#tail.then(() => this.#unit(work)).finally(() => (this.#pending -= 1));
    this.#tail = turn.catch(() => {});
    return turn;
  }

  /**
   * A read that changes nothing and reads memory in one synchronous section (no await before it
   * has read). With no unit queued or running, memory holds exactly what the files hold, so it
   * runs at once, as a unit would have; otherwise it takes its turn like any unit.
   */
  read<T>(work: () => Promise<T>): Promise<T> {
    if (this.#pending === 0 && !this.#broken) return work();
    return this.run(work);
  }

  async #unit<T>(work: () => Promise<T>): Promise<T> {
    if (this.#broken) throw this.#broken;
    const unit = new Unit(this);
    try {
      let result: T;
      try {
        result = await current.run(unit, work);
      } catch (err) {
        unit.done = true;
        await this.#rollBack(unit);
        throw err;
      }
      unit.done = true;
      await this.#commit(unit);
      return result;
    } finally {
      unit.done = true;
    }
  }

  async #commit(unit: Unit): Promise<void> {
    const files = [...unit.files];
    const pdfs = [...unit.pdfs];
    let journal: Journal | null = null;
    try {
      if (files.length + pdfs.length > 1) {
        journal = {
          version: 1,
          files: files.map((f) => {
            if (path.dirname(f.file) !== this.dir) throw new Error(`${f.file} is not in ${this.dir}`);
            return { name: path.basename(f.file), data: f.snapshot() };
          }),
          renames: pdfs.map(([to, from]) => ({ from: path.relative(this.dir, from), to: path.relative(this.dir, to) })),
        };
        await writeJournal(this.dir, journal);
      } else if (files.length === 1) {
        await writeFileDurably(files[0]!.file, JSON.stringify(files[0]!.snapshot()));
      } else if (pdfs.length === 1) {
        const [to, from] = pdfs[0]!;
        await renameWithRetry(from, to);
        await syncDirectory(path.dirname(to));
      }
    } catch (err) {
      await this.#rollBack(unit);
      throw err;
    }
    if (journal) {
      try {
        await applyJournal(this.dir, journal);
      } catch (err) {
        this.#broken = new Error(
          `A committed transaction could not be written to ${this.dir} (${(err as Error).message}); ` +
            'restart the service: it completes the transaction from its journal.',
        );
        await this.#end(unit, true).catch(() => {});
        throw this.#broken;
      }
    }
    await this.#end(unit, true);
  }

  async #rollBack(unit: Unit): Promise<void> {
    try {
      for (const file of unit.files) await file.reload();
      for (const pending of unit.pdfs.values()) await unlink(pending).catch(() => {});
    } catch (err) {
      this.#broken = new Error(`A failed transaction could not be undone in memory (${(err as Error).message}); restart the service.`);
    } finally {
      await this.#end(unit, false);
    }
  }

  async #end(unit: Unit, committed: boolean): Promise<void> {
    for (const hold of unit.holds.values()) await hold.end(committed);
  }
}
