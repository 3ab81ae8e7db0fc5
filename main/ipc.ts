/**
 * The main-process side of the `window.kiosk` bridge (main/kiosk-bridge.ts). One wrapper checks
 * who is calling before any handler runs: the sender must be the kiosk window's web contents,
 * the sending frame must be its main frame (not an iframe), and that frame's origin must be the
 * service origin. Anything else is refused and logged. Arguments are validated here too.
 */
import type { KioskInvokeEvent, KioskIpcMain, KioskLog } from './electron-api.js';
import { KIOSK_CHANNELS, type KioskPrintResult, type KioskTerminalInfo } from './kiosk-bridge.js';

export interface KioskIpcHandlers {
  terminal(): Promise<KioskTerminalInfo>;
  print(jobId: string): Promise<KioskPrintResult>;
  sessionEnded(): Promise<void>;
}

/** Campus job ids are the service's record ids (UUIDs today): letters, digits, `_` and `-`. */
export const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Why a call is refused, or null when it comes from the service page in the kiosk window's main frame. */
export function senderProblem(event: KioskInvokeEvent, expected: { contentsId: number | null; serviceOrigin: string | null }): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'no sender frame (navigated away or destroyed)';
  if (expected.contentsId === null || event.sender.id !== expected.contentsId) return 'not the kiosk window';
  if (frame.parent !== null) return 'not the main frame';
  if (expected.serviceOrigin === null || frame.origin !== expected.serviceOrigin) return `origin ${frame.origin} is not the service`;
  return null;
}

export class KioskIpcRefused extends Error {
  constructor(channel: string) {
    super(`kiosk bridge call refused: ${channel}`);
    this.name = 'KioskIpcRefused';
  }
}

/**
 * Registers the three channels. `expected()` is read on every call (the service origin changes
 * when the embedded service restarts on another port). Returns a function that unregisters them.
 */
export function registerKioskIpc(options: {
  ipcMain: KioskIpcMain;
  expected: () => { contentsId: number | null; serviceOrigin: string | null };
  handlers: KioskIpcHandlers;
  log: KioskLog;
}): () => void {
  const { ipcMain, expected, handlers, log } = options;

  const handle = (channel: string, run: (args: unknown[]) => Promise<unknown>) => {
    ipcMain.handle(channel, async (event, ...args) => {
      const problem = senderProblem(event, expected());
      if (problem) {
        log.warn('kiosk bridge call refused', { channel, reason: problem, url: event.senderFrame?.url.slice(0, 200) ?? null });
        throw new KioskIpcRefused(channel);
      }
      return run(args);
    });
  };

  handle(KIOSK_CHANNELS.terminal, () => handlers.terminal());
  handle(KIOSK_CHANNELS.print, async ([jobId]) => {
    if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
      log.warn('kiosk print refused: malformed job id');
      return { ok: false, code: 'campus.notFound' } satisfies KioskPrintResult;
    }
    return handlers.print(jobId);
  });
  handle(KIOSK_CHANNELS.sessionEnded, () => handlers.sessionEnded());

  return () => {
    for (const channel of Object.values(KIOSK_CHANNELS)) ipcMain.removeHandler(channel);
  };
}
