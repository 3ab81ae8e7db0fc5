import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, AuditFilter, AuditLog } from '../../domain/audit.js';
import { pageWindow } from '../../domain/paging.js';
import type { Random } from '../../domain/ports.js';
import { copy } from './records.js';
import { SharedCollection } from './shared-collection.js';

export const AUDIT_LOG_FILE = 'audit-log.json';

interface StoredEntry extends AuditEntry {
  /** Position in the log, to order entries with the same time. */
  seq: number;
}

/** `action` matches exactly, or as a prefix when it ends with "." (e.g. `application.`). */
const actionMatches = (filter: string, action: string) => (filter.endsWith('.') ? action.startsWith(filter) : action === filter);

/** `actor` matches the actor's ID exactly, or any part of its name (case-insensitive). */
const actorMatches = (filter: string, actor: AuditEntry['actor']) => actor.id === filter || actor.name.toLowerCase().includes(filter.toLowerCase());

/**
 * The audit log in DATA_DIR/audit-log.json: append-only (no update or delete exists), shared
 * with the staff CLI (which records the users it creates). Lists newest first, a bounded page.
 */
export async function openAuditStore(dataDir: string, random: Random): Promise<AuditLog & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const log = await SharedCollection.open<StoredEntry>(path.join(dataDir, AUDIT_LOG_FILE), (e) => e.id);
  return {
    append: (entry) =>
      log.write((records) => {
        let seq = 0;
        for (const r of records.values()) seq = Math.max(seq, r.seq);
        const stored: StoredEntry = { ...copy(entry), id: random.id(), seq: seq + 1 };
        records.set(stored.id, stored);
        const { seq: _seq, ...result } = stored;
        return { changed: true, result: copy(result) };
      }),
    list: (filter: AuditFilter) =>
      log.read((records) => {
        const { offset, limit } = pageWindow(filter);
        const matching = [...records.values()]
          .filter(
            (e) =>
              (!filter.action || actionMatches(filter.action, e.action)) &&
              (!filter.actorId || e.actor.id === filter.actorId) &&
              (!filter.actor || actorMatches(filter.actor, e.actor)) &&
              (!filter.targetId || e.target.id === filter.targetId),
          )
          .sort((a, b) => (a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1));
        return {
          total: matching.length,
          items: matching.slice(offset, offset + limit).map(({ seq: _seq, ...e }) => copy(e)),
        };
      }),
    lastTimes: (action, targetIds) =>
      log.read((records) => {
        const wanted = new Set(targetIds);
        const last = new Map<string, string>();
        for (const e of records.values()) {
          if (e.action !== action || !wanted.has(e.target.id)) continue;
          const seen = last.get(e.target.id);
          if (seen === undefined || Date.parse(e.at) > Date.parse(seen)) last.set(e.target.id, e.at);
        }
        return last;
      }),
    flush: () => log.flush(),
  };
}
