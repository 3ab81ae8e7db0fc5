/**
 * The terminal's side of the proof the service checks on every request (the service's side and
 * the wire format: service/domain/terminals/proof.ts; a unit test signs here and verifies there).
 *
 * The terminal key `stk1.<id>.<secret>` comes from kiosk.json (issued in the console's 端末 screen)
 * or, for the embedded service, is made at start and only its public half handed to the service.
 * The secret stays in the main process: it is never written by the shell, never given to a page.
 *
 * Ed25519 by @noble/ed25519 (pure JavaScript, the same library the renderer verifies with), so the
 * shell does not depend on which curves the crypto library Electron ships provides.
 */
import { createHash, randomBytes } from 'node:crypto';
import { getPublicKey, hashes, sign } from '@noble/ed25519';

hashes.sha512 = (message: Uint8Array) => new Uint8Array(createHash('sha512').update(message).digest());

export const TERMINAL_PROOF_HEADER = 'X-Shomei-Terminal';
const CONTEXT = 'shomei-terminal-proof-v1';
/** `stk1.<terminal id>.<32-byte secret, base64url>`. */
export const TERMINAL_KEY_PATTERN = /^stk1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{43})$/;
/** The id the service gives the terminal of the kiosk shell that runs it (EMBEDDED_TERMINAL_ID). */
export const EMBEDDED_TERMINAL_ID = 'local';

export interface TerminalKey {
  readonly id: string;
  readonly secret: Uint8Array;
}

/** What the shell reports about its printer with every proof. */
export type PrinterReport = 'ready' | 'missing' | 'error' | 'unknown';

export function parseTerminalKey(text: string): TerminalKey | null {
  const m = TERMINAL_KEY_PATTERN.exec(text.trim());
  if (!m) return null;
  const secret = new Uint8Array(Buffer.from(m[2]!, 'base64url'));
  return secret.length === 32 ? { id: m[1]!, secret } : null;
}

/** A fresh key for the embedded service's terminal, and its public half for the service's environment. */
export function embeddedTerminalKey(random: (bytes: number) => Uint8Array = randomBytes): { key: TerminalKey; publicKey: string } {
  const secret = new Uint8Array(random(32));
  return { key: { id: EMBEDDED_TERMINAL_ID, secret }, publicKey: Buffer.from(getPublicKey(secret)).toString('base64url') };
}

/** Path and query of `url` as the request line carries them (no fragment). */
export function pathAndQueryOf(url: URL): string {
  return url.href.slice(url.origin.length).split('#')[0]!;
}

/** The shell's version as the header allows it. */
const versionToken = (version: string) => version.replace(/[^0-9A-Za-z.+_-]/g, '_').slice(0, 40) || '0';

/** The `X-Shomei-Terminal` value for one request. */
export function proofHeader(
  key: TerminalKey,
  request: { method: string; url: string; unixSeconds: number; shellVersion: string; printer: PrinterReport },
): string {
  const signed = `id=${key.id}, t=${Math.floor(request.unixSeconds)}, shell=${versionToken(request.shellVersion)}, printer=${request.printer}`;
  const message = `${CONTEXT}\n${request.method.toUpperCase()}\n${pathAndQueryOf(new URL(request.url))}\n${signed}`;
  const signature = Buffer.from(sign(new TextEncoder().encode(message), key.secret)).toString('base64url');
  return `${signed}, sig=${signature}`;
}
