/** This terminal's settings from the bridge (`kiosk.terminal()`), asked once per page. */
import { kioskBridge, type KioskTerminalInfo } from './bridge';

let loading: Promise<KioskTerminalInfo | null> | null = null;

/** The terminal's settings, or null in a personal browser or when the shell did not answer. */
export function kioskTerminal(): Promise<KioskTerminalInfo | null> {
  const bridge = kioskBridge();
  if (!bridge) return Promise.resolve(null);
  loading ??= bridge.terminal().then(
    (info) => info,
    () => {
      loading = null;
      return null;
    },
  );
  return loading;
}
