import type { TerminalKeyResponse, TerminalView } from '../../contract/terminals.js';
import type { Terminal } from '../../domain/terminals/model.js';
import type { IssuedTerminalKey } from '../../domain/terminals/service.js';

/** A terminal for the console: never its key. */
export const terminalView = (t: Terminal): TerminalView => ({
  id: t.id,
  name: t.name,
  location: t.location,
  status: t.status,
  embedded: t.embedded,
  enrolledAt: t.enrolledAt,
  keyIssuedAt: t.keyIssuedAt,
  revokedAt: t.revokedAt,
  lastContactAt: t.lastContactAt,
  shellVersion: t.shellVersion,
  printer: t.printer,
});

export const terminalKeyReply = (issued: IssuedTerminalKey, publicUrl: string): TerminalKeyResponse => ({
  terminal: terminalView(issued.terminal),
  key: issued.key,
  kioskJson: { serverUrl: publicUrl, terminalKey: issued.key },
});
