/**
 * The `window.kiosk` bridge between the kiosk shell's preload (contextBridge.exposeInMainWorld
 * ('kiosk', …)) and the renderer. Types and IPC channel names only: the shell
 * implements it; the renderer (renderer/src/kiosk/bridge.ts) uses it for 学内印刷.
 * This file must stay free of runtime imports so the renderer can import it type-only.
 */

/** ipcRenderer.invoke channel names, one per bridge method (preload → main process). */
export const KIOSK_CHANNELS = {
  terminal: 'kiosk:terminal',
  print: 'kiosk:print',
  sessionEnded: 'kiosk:session-ended',
} as const;

export interface KioskTerminalInfo {
  terminalId: string;
  /** Seconds without input before the countdown dialog opens (terminal configuration). */
  idleTimeoutSeconds: number;
  /** Length of the countdown dialog before logout. */
  countdownSeconds: number;
  /** Language of the login screen when nobody has chosen one ('ja' | 'en'). */
  defaultLanguage: 'ja' | 'en';
  /** The configured printer (system name) and whether the OS lists it; staff see a warning when it is missing. */
  printer: { name: string | null; available: boolean };
}

/**
 * Outcome of `kiosk.print`. On failure `code` is an ErrorCode the renderer translates
 * (`errors.<code>`): the service's refusal (`campus.alreadyPrinted`, `campus.busy`,
 * `campus.notFound`, `campus.cancelled`, `campus.kioskOnly`, `campus.claimLost`, `auth.required`,
 * `auth.sessionExpired`, `csrf.invalid`) or, when the printer or the network failed,
 * `campus.printFailed` / `network`. A failure after the claim leaves the job printable.
 */
export type KioskPrintResult = { ok: true; printedAt: string } | { ok: false; code: string };

export interface KioskBridge {
  /** Identity and idle settings of this terminal. */
  terminal(): Promise<KioskTerminalInfo>;
  /**
   * Prints campus job `jobId` of the signed-in student (学内印刷), once. The shell, over the
   * kiosk window's own session (its cookies and the terminal proof, which also names the terminal in
   * the attempt log; writes carry the X-CSRF-Token from GET /api/session):
   *  1. POST /api/certificates/campus-jobs/:jobId/claim → CampusClaimResponse
   *     { claimId, documents: [{ certificateNumber, copies, url }] } (a refusal → { ok: false, code });
   *  2. GET each `documents[i].url` (application/pdf; valid only while the claim holds, 5 minutes);
   *  3. prints each PDF silently, `copies` times, on the configured printer;
   *  4. POST …/:jobId/complete { claimId } → { jobId, printedAt } and resolves { ok: true, printedAt };
   *     if fetching or printing failed: POST …/:jobId/fail { claimId, detail } (printer text, for the
   *     log only; the job stays printable) and resolves { ok: false, code: 'campus.printFailed' }.
   * Never rejects: every failure is a `{ ok: false }` result. Concurrent calls for the same job
   * must not print twice (the service refuses a second claim with `campus.busy`).
   */
  print(jobId: string): Promise<KioskPrintResult>;
  /**
   * The renderer has logged out (idle countdown ran out, or the student pressed logout): the shell
   * clears the window session's storage, cache and HTTP auth cache, then loads the login screen.
   * Resolves once the wipe has been done (the page is being replaced).
   */
  sessionEnded(): Promise<void>;
}

declare global {
  interface Window {
    /** Present only inside the kiosk shell (preload). */
    kiosk?: KioskBridge;
  }
}
