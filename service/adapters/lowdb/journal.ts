/**
 * The commit point of a lowdb transaction that changes more than one file: a journal in DATA_DIR
 * holding the new content of every changed collection file and the renames of the new PDFs. It is
 * written durably (temporary file fsynced, renamed, directory fsynced) before any target file is
 * touched, and deleted (durably) once every target is written. At open, a journal found is applied
 * again (redo is idempotent: the same content, the same renames); without one, what an unfinished
 * transaction left (pending PDFs, temporary files) is deleted. So after a crash either the whole
 * transaction is on disk or none of it.
 */
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { renameWithRetry, syncDirectory, writeFileDurably, writeFilesDurably } from '../files/durable-write.js';
import { acquireLock } from './shared-collection.js';

export const JOURNAL_FILE = 'transaction-journal.json';

/** A PDF written under its pending name while the transaction ran, renamed into place at commit. */
export const PENDING_PDF_SUFFIX = '.pending';

export interface Journal {
  version: 1;
  /** Collection files (names in DATA_DIR) and their complete new content. */
  files: Array<{ name: string; data: unknown }>;
  /** Pending PDF → its place, both relative to DATA_DIR. */
  renames: Array<{ from: string; to: string }>;
}

export interface JournalOptions {
  /** Collection files another process may write too (staff CLI): written under their lock file. */
  sharedFiles: ReadonlySet<string>;
  /** Where pending PDFs are written (relative to DATA_DIR). */
  pdfDir: string;
  lockTimeoutMs?: number;
}

/** Writes the journal durably: once this resolves, the transaction is committed. */
export async function writeJournal(dir: string, journal: Journal): Promise<void> {
  await writeFileDurably(path.join(dir, JOURNAL_FILE), JSON.stringify(journal));
}

/** Writes every target of `journal` durably, then deletes the journal (durably). */
export async function applyJournal(dir: string, journal: Journal): Promise<void> {
  await writeFilesDurably(journal.files.map(({ name, data }) => ({ file: path.join(dir, name), data: JSON.stringify(data) })));
  const pdfDirs = new Set<string>();
  for (const { from, to } of journal.renames) {
    const source = path.join(dir, from);
    try {
      await renameWithRetry(source, path.join(dir, to));
    } catch (e) {
      // Renamed by an earlier attempt (the journal is applied again after a crash).
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !(await exists(path.join(dir, to)))) throw e;
    }
    pdfDirs.add(path.dirname(source));
  }
  for (const d of pdfDirs) await syncDirectory(d);
  await unlink(path.join(dir, JOURNAL_FILE));
  // The deletion must be on disk before anything writes these files again: an old journal
  // reappearing after a power loss would be replayed over newer content.
  await syncDirectory(dir);
}

/**
 * Run by the service at open, before any collection is read: finishes a committed transaction
 * whose journal is still there (replayJournal), then deletes what unfinished transactions left:
 * pending PDFs, temporary files of PDFs and of the journal.
 */
export async function recoverJournal(dir: string, options: JournalOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  await replayJournal(dir, options);
  const journalTemp = `.${JOURNAL_FILE}.`;
  for (const name of await readdir(dir)) {
    if (name.startsWith(journalTemp) && name.endsWith('.tmp')) await unlink(path.join(dir, name)).catch(() => {});
  }
  const pdfDir = path.join(dir, options.pdfDir);
  const pdfNames = await readdir(pdfDir).catch(() => [] as string[]);
  for (const name of pdfNames) {
    if (name.endsWith(PENDING_PDF_SUFFIX) || name.endsWith('.tmp')) await unlink(path.join(pdfDir, name)).catch(() => {});
  }
}

/**
 * Applies a journal left in `dir`, under the lock files of the shared collections it names (a
 * live service holds them from before its journal exists until after it is deleted, so whoever
 * gets them finds either no journal or one whose writer died). `sharedOnly`: only a journal that
 * names a shared collection (the staff CLI, which must not lose its change to a later replay).
 */
export async function replayJournal(dir: string, options: JournalOptions & { sharedOnly?: boolean }): Promise<void> {
  const seen = await readJournal(dir);
  if (!seen) return;
  const shared = seen.files
    .map((f) => f.name)
    .filter((name) => options.sharedFiles.has(name))
    .sort();
  if (options.sharedOnly && shared.length === 0) return;
  const releases: Array<() => Promise<void>> = [];
  try {
    for (const name of shared) releases.push(await acquireLock(`${path.join(dir, name)}.lock`, options.lockTimeoutMs ?? 10_000));
    // Read again under the locks: another process may have applied it (and written since) meanwhile.
    const journal = await readJournal(dir);
    if (journal) await applyJournal(dir, journal);
  } finally {
    for (const release of releases.reverse()) await release();
  }
}

async function readJournal(dir: string): Promise<Journal | null> {
  let text: string;
  try {
    text = await readFile(path.join(dir, JOURNAL_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  // The journal is renamed into place complete and fsynced: anything else is not ours to guess at.
  const journal = JSON.parse(text) as Partial<Journal>;
  if (journal.version !== 1 || !Array.isArray(journal.files) || !Array.isArray(journal.renames)) {
    throw new Error(`${path.join(dir, JOURNAL_FILE)} is not a transaction journal this version understands`);
  }
  for (const { name } of journal.files) if (path.basename(name) !== name) throw new Error(`journal names a file outside DATA_DIR: ${name}`);
  return journal as Journal;
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );
