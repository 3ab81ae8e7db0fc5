/**
 * The kiosk bridge the renderer prints through (学内印刷): `window.kiosk` inside the kiosk shell;
 * in a browser whose session is a kiosk session (its requests proven by an enrolled terminal,
 * e.g. through a proxy that adds the proof), a stand-in with the same interface that "prints" by
 * downloading each PDF; in a personal browser, none.
 */
import type { KioskBridge, KioskPrintResult, KioskTerminalInfo } from '../../../main/kiosk-bridge';
import { isApiFailure } from '../api/client';
import { getCampusDocument, postCampusClaim, postCampusComplete, postCampusFail } from '../api/certificate-orders';
import { useSessionStore } from '../stores/session';

export type { KioskBridge, KioskPrintResult, KioskTerminalInfo };

const codeOf = (e: unknown): string => (isApiFailure(e) ? e.code : 'campus.printFailed');

/** Saves one PDF through an `<a download>` click (the browser's "printer"). */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the blob goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The browser stand-in: claim → download each document (one `<a download>` per certificate) →
 * complete; a failed download reports `fail` (the job stays printable). One print per job at a time.
 */
export function createBrowserKioskBridge(idleTimeoutSeconds: number): KioskBridge {
  const inFlight = new Map<string, Promise<KioskPrintResult>>();

  async function printOnce(jobId: string): Promise<KioskPrintResult> {
    let claim;
    try {
      claim = await postCampusClaim(jobId);
    } catch (e) {
      return { ok: false, code: codeOf(e) };
    }
    try {
      for (const doc of claim.documents) {
        const blob = await getCampusDocument(doc.url);
        saveFile(blob, `${doc.certificateNumber}.pdf`);
      }
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      try {
        await postCampusFail(jobId, claim.claimId, `browser stand-in: ${detail}`.slice(0, 2000));
      } catch {
        // The lease runs out by itself; the job becomes printable again.
      }
      return { ok: false, code: 'campus.printFailed' };
    }
    try {
      const done = await postCampusComplete(jobId, claim.claimId);
      return { ok: true, printedAt: done.printedAt };
    } catch (e) {
      return { ok: false, code: codeOf(e) };
    }
  }

  return {
    terminal: async () => ({
      terminalId: 'browser',
      idleTimeoutSeconds,
      countdownSeconds: 30,
      defaultLanguage: 'ja',
      printer: { name: null, available: true },
    }),
    // No shell to wipe: the renderer's own logout already cleared what the page holds.
    sessionEnded: async () => {},
    print(jobId) {
      const running = inFlight.get(jobId);
      if (running) return running;
      const started = printOnce(jobId).finally(() => inFlight.delete(jobId));
      inFlight.set(jobId, started);
      return started;
    },
  };
}

let standIn: KioskBridge | null = null;

/** The bridge to print with here, or null (a personal browser: campus jobs wait for a kiosk). */
export function kioskBridge(): KioskBridge | null {
  if (typeof window !== 'undefined' && window.kiosk) return window.kiosk;
  const session = useSessionStore();
  if (!session.kiosk) return null;
  standIn ??= createBrowserKioskBridge(session.info?.idleTimeoutSeconds ?? 120);
  return standIn;
}
