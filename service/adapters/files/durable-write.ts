/**
 * Files that must survive `kill -9` and power loss (the lowdb data files, certificate PDFs,
 * generated keys) are written here and nowhere else: each file goes to a temporary name in its
 * own directory and is fsynced, then moved into place, then the directory is fsynced. Without the
 * first fsync a power loss can leave the new name pointing at an empty file (a certificate that
 * was acknowledged but is empty); without the second, the rename itself can be lost.
 */
import { link, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

const isWindows = process.platform === 'win32';
let tempSeq = 0;

/** Told the target of every file made durable here (one fsynced file content each). */
export type DurableWriteListener = (file: string) => void;
const listeners = new Set<DurableWriteListener>();

/**
 * Observes the durable file writes of this process (what a request costs in fsyncs is measured
 * with it, in tests and benchmarks). Returns the function that stops observing.
 */
export function onDurableWrite(listener: DurableWriteListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export interface DurableFileContent {
  file: string;
  data: string | Uint8Array;
  /** Permission bits of a new file (0600 unless given). */
  mode?: number;
}

/** The temporary name of `file` while it is written: hidden, in the same directory, unique in this process. */
export const temporaryNameOf = (file: string): string => path.join(path.dirname(file), `${temporaryPrefixOf(file)}${process.pid}.${++tempSeq}.tmp`);

/** Temporary files of `file` start with this (and end with `.tmp`): what a crash may leave behind. */
export const temporaryPrefixOf = (file: string): string => `.${path.basename(file)}.`;

/** Writes `data` to `file`, replacing it atomically and durably. */
export async function writeFileDurably(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await writeFilesDurably([{ file, data, mode }]);
}

/**
 * Writes several files, each under a temporary name and fsynced, then renames them into place in
 * the order given (a key pair: the certificate first, so a crash never leaves a key without its
 * certificate being complete), then fsyncs their directories.
 */
export async function writeFilesDurably(files: readonly DurableFileContent[]): Promise<void> {
  const written: Array<{ temp: string; file: string }> = [];
  try {
    for (const { file, data, mode } of files) {
      const temp = temporaryNameOf(file);
      written.push({ temp, file });
      await writeSynced(temp, data, mode ?? 0o600, file);
    }
    for (const { temp, file } of written) await renameWithRetry(temp, file);
  } catch (e) {
    await Promise.all(written.map(({ temp }) => unlink(temp).catch(() => {})));
    throw e;
  }
  for (const dir of new Set(files.map(({ file }) => path.dirname(path.resolve(file))))) await syncDirectory(dir);
}

/**
 * Creates `file` with `data` unless it exists (then false, and nothing changes): of processes
 * racing to create it, exactly one wins and the file is complete and durable before it exists.
 */
export async function createFileDurably(file: string, data: string | Uint8Array, mode = 0o600): Promise<boolean> {
  const temp = temporaryNameOf(file);
  try {
    await writeSynced(temp, data, mode, file);
    // link(2) fails with EEXIST instead of replacing: the first complete file wins.
    await link(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(temp).catch(() => {});
  }
  await syncDirectory(path.dirname(path.resolve(file)));
  return true;
}

async function writeSynced(file: string, data: string | Uint8Array, mode: number, target: string): Promise<void> {
  const handle = await open(file, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  for (const listener of listeners) listener(path.resolve(target));
}

/** Makes a rename in `dir` durable. Windows cannot open directories; NTFS journals the rename itself. */
export async function syncDirectory(dir: string): Promise<void> {
  if (isWindows) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (e) {
    // Some file systems (e.g. certain network mounts) do not support fsync on directories.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw e;
  } finally {
    await handle.close();
  }
}

/** On Windows a virus scanner or indexer may hold the target briefly open: retry a few times. */
export async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!isWindows || attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw e;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}
