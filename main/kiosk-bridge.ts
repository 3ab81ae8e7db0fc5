/**
 * The `window.kiosk` bridge between the kiosk shell's preload and the renderer. Only the
 * interface lives here for now; the shell (issue #5) and campus printing (issue #4) fill it in.
 */
export const KIOSK_CHANNELS = {
  terminal: 'kiosk:terminal',
} as const;

export interface KioskTerminalInfo {
  terminalId: string;
  idleTimeoutSeconds: number;
  countdownSeconds: number;
}

export interface KioskBridge {
  /** Identity and idle settings of this terminal. */
  terminal(): Promise<KioskTerminalInfo>;
}
