/**
 * 端末 / Terminals in the staff console (/api/admin/terminals, types only) and the kiosk shell's
 * own check-in (GET /api/terminal). Every staff user reads the list; administrators enrol,
 * revoke and issue keys (writes carry the staff CSRF token).
 */

export type TerminalPrinterState = 'ready' | 'missing' | 'error';

export interface TerminalView {
  id: string;
  /** For the embedded terminal: its id (the console shows it by `embedded`). */
  name: string;
  location: string;
  status: 'active' | 'revoked';
  /** The kiosk shell that runs the embedded service on the service's own machine. */
  embedded: boolean;
  enrolledAt: string;
  keyIssuedAt: string;
  revokedAt: string | null;
  lastContactAt: string | null;
  shellVersion: string | null;
  /** As the shell last reported it; null until it has. */
  printer: TerminalPrinterState | null;
}

/** GET /api/admin/terminals */
export interface TerminalList {
  items: TerminalView[];
}

/** POST /api/admin/terminals — name 1–60 characters, location up to 100 (may be empty). */
export interface EnrollTerminalRequest {
  name: string;
  location: string;
}

/**
 * POST /api/admin/terminals (201) and POST /api/admin/terminals/:id/key: the terminal and its
 * key, shown this once (the service keeps only the key's public half).
 */
export interface TerminalKeyResponse {
  terminal: TerminalView;
  /** `terminalKey` of the terminal's kiosk.json. */
  key: string;
  /** What to write into kiosk.json: `serverUrl` (the service's PUBLIC_URL) and `terminalKey`. */
  kioskJson: { serverUrl: string; terminalKey: string };
}

/**
 * GET /api/terminal — the kiosk shell's check-in: 200 for an enrolled terminal's proof, else 403
 * `terminal.notEnrolled`. Either answer's `Date` header is the service's clock, which the shell
 * corrects its proofs' time by.
 */
export interface TerminalCheckIn {
  id: string;
  name: string;
}
