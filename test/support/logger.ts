import type { Logger } from '../../service/domain/ports.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export interface LogEntry {
  level: LogLevel;
  obj: object;
  msg: string;
}

/** A Logger that keeps what it is told, for tests that assert on what an operator would see. */
export function recordingLogger(): Logger & { entries: LogEntry[]; at(level: LogLevel): LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: LogLevel) => (obj: object, msg: string) => void entries.push({ level, obj, msg });
  return {
    entries,
    at: (level) => entries.filter((entry) => entry.level === level),
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
  };
}
