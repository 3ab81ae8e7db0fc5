/**
 * Preload of the kiosk window. Sandboxed preloads are CommonJS and may require only a few
 * modules ('electron' among them), so this file imports nothing else at run time: the channel
 * names are repeated here and the compiler checks them against KIOSK_CHANNELS.
 *
 * It exposes exactly the typed `window.kiosk` bridge of main/kiosk-bridge.ts: three functions
 * that forward to ipcRenderer.invoke. No ipcRenderer object, no event emitter, no Node.
 * The main process checks every call's frame and origin (main/ipc.ts), so exposing the bridge
 * on other pages (the IdP, the shell's own pages) gives them nothing.
 */
// A sandboxed preload is CommonJS: require is how it reaches Electron.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { KIOSK_CHANNELS, KioskBridge, KioskPrintResult, KioskTerminalInfo } from './kiosk-bridge.js' with { 'resolution-mode': 'import' };

const CHANNELS = {
  terminal: 'kiosk:terminal',
  print: 'kiosk:print',
  sessionEnded: 'kiosk:session-ended',
} as const satisfies typeof KIOSK_CHANNELS;
// …and no channel of KIOSK_CHANNELS is missing here.
const complete: Record<keyof typeof KIOSK_CHANNELS, string> = CHANNELS;
void complete;

const { contextBridge, ipcRenderer } = electron;

const bridge: KioskBridge = {
  terminal: () => ipcRenderer.invoke(CHANNELS.terminal) as Promise<KioskTerminalInfo>,
  print: (jobId: string) => ipcRenderer.invoke(CHANNELS.print, String(jobId)) as Promise<KioskPrintResult>,
  sessionEnded: async () => {
    await ipcRenderer.invoke(CHANNELS.sessionEnded);
  },
};

contextBridge.exposeInMainWorld('kiosk', bridge);
