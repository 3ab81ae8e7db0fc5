/**
 * Enrolment, revocation and proofs of campus terminals. An administrator enrols a terminal and
 * gets its key once; the shell proves the terminal on every request; a revoked or unknown
 * terminal is an ordinary browser from its next request.
 */
import type { AuditLog } from '../audit.js';
import { transition } from '../conditional-update.js';
import { DomainError } from '../errors.js';
import type { Clock, Random } from '../ports.js';
import type { StaffRole } from '../staff/model.js';
import { auditView, terminalNameKey, type PrinterState, type Terminal, type TerminalStore } from './model.js';
import { parseProof, PROOF_WINDOW_SECONDS, proofMessage, publicKeyOfSecret, signatureValid, TERMINAL_KEY_PREFIX } from './proof.js';

/** The id of the terminal a kiosk shell enrols for the embedded service it runs. */
export const EMBEDDED_TERMINAL_ID = 'local';
/** A verified terminal's last contact is written at most this often (lowdb rewrites the file). */
const CONTACT_EVERY_SECONDS = 60;

export interface TerminalActor {
  type: 'staff' | 'system';
  id: string;
  name: string;
  role?: StaffRole;
}

export interface TerminalInput {
  name: string;
  location: string;
}

/** A terminal with its new key: shown once, never stored. */
export interface IssuedTerminalKey {
  terminal: Terminal;
  key: string;
}

export type ProofOutcome = { terminal: Terminal } | { refused: 'malformed' | 'unknown' | 'revoked' | 'time' | 'signature'; terminalId: string | null };

export interface TerminalService {
  /** Active first, then by name. */
  list(): Promise<Terminal[]>;
  get(id: string): Promise<Terminal | null>;
  enroll(input: TerminalInput, by: TerminalActor): Promise<IssuedTerminalKey>;
  /** Its key stops working at once; `terminal.notFound`. Revoking a revoked terminal changes nothing. */
  revoke(id: string, by: TerminalActor): Promise<Terminal>;
  /** A new key for a replaced (or revoked) terminal: the old key stops working, the terminal is active. */
  reissue(id: string, by: TerminalActor): Promise<IssuedTerminalKey>;
  /**
   * The kiosk shell running the embedded service enrols itself with a key it made at start
   * (its public half arrives through the service's environment). A revoked embedded terminal stays
   * revoked: the shell is an ordinary browser until an administrator issues it a key.
   */
  enrollEmbedded(publicKey: string): Promise<Terminal | null>;
  /** Checks the proof header of a request; a verified terminal's contact, version and printer are recorded. */
  verify(header: string | undefined, request: { method: string; pathAndQuery: string }): Promise<ProofOutcome | null>;
}

const SYSTEM: TerminalActor = { type: 'system', id: 'kiosk-shell', name: 'kiosk shell (embedded service)' };

const requireAdministrator = (by: TerminalActor) => {
  if (by.type === 'staff' && by.role !== 'administrator') throw new DomainError('auth.forbidden');
};

export function createTerminalService(deps: {
  store: TerminalStore;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  random: Pick<Random, 'token'>;
}): TerminalService {
  const { store, audit, clock, random } = deps;
  const actorOf = (by: TerminalActor) => ({ type: by.type, id: by.id, name: by.name });

  const newSecret = () => {
    const secret = random.token(32);
    return { secret, publicKey: publicKeyOfSecret(secret) };
  };
  const keyOf = (id: string, secret: string) => `${TERMINAL_KEY_PREFIX}.${id}.${secret}`;

  const guardOf = (t: Terminal) => ({ status: t.status, publicKey: t.publicKey });

  /** Applies `change` to terminal `id` atomically; `terminal.notFound` when there is none. */
  async function change(id: string, next: (current: Terminal) => Terminal | null): Promise<{ before: Terminal; after: Terminal | null }> {
    const seen: { before: Terminal | null } = { before: null };
    const after = await transition(
      store,
      id,
      (current) => {
        seen.before = current;
        return next(current);
      },
      guardOf,
    );
    if (!seen.before) throw new DomainError('terminal.notFound', {}, id);
    return { before: seen.before, after };
  }

  return {
    get: (id) => store.get(id),

    async list() {
      const all = await store.list();
      return all.sort((a, b) => (a.status === b.status ? a.name.localeCompare(b.name, 'ja') : a.status === 'active' ? -1 : 1));
    },

    async enroll(input, by) {
      requireAdministrator(by);
      const at = clock.now().toISOString();
      // 72 random bits: unguessable as a name, short enough to read in a log.
      const id = random.token(9);
      const { secret, publicKey } = newSecret();
      const terminal: Terminal = {
        id,
        name: input.name,
        nameKey: terminalNameKey(input.name),
        location: input.location,
        publicKey,
        status: 'active',
        embedded: false,
        enrolledAt: at,
        keyIssuedAt: at,
        revokedAt: null,
        lastContactAt: null,
        shellVersion: null,
        printer: null,
      };
      if (!(await store.insert(terminal))) {
        throw new DomainError('terminal.nameTaken', {}, input.name, { name: 'terminal.nameTaken' });
      }
      await audit.append({
        at,
        actor: actorOf(by),
        action: 'terminal.enrolled',
        target: { type: 'terminal', id },
        before: null,
        after: auditView(terminal),
        note: null,
      });
      return { terminal, key: keyOf(id, secret) };
    },

    async revoke(id, by) {
      requireAdministrator(by);
      const at = clock.now().toISOString();
      const { before, after } = await change(id, (current) => (current.status === 'revoked' ? null : { ...current, status: 'revoked', revokedAt: at }));
      if (!after) return before;
      const terminal = after;
      await audit.append({
        at,
        actor: actorOf(by),
        action: 'terminal.revoked',
        target: { type: 'terminal', id },
        before: auditView(before),
        after: auditView(terminal),
        note: null,
      });
      return terminal;
    },

    async reissue(id, by) {
      requireAdministrator(by);
      const at = clock.now().toISOString();
      const { secret, publicKey } = newSecret();
      const { before, after } = await change(id, (current) => ({ ...current, publicKey, status: 'active', revokedAt: null, keyIssuedAt: at }));
      const terminal = after!;
      await audit.append({
        at,
        actor: actorOf(by),
        action: 'terminal.keyReissued',
        target: { type: 'terminal', id },
        before: auditView(before),
        after: auditView(terminal),
        note: null,
      });
      return { terminal, key: keyOf(id, secret) };
    },

    async enrollEmbedded(publicKey) {
      const at = clock.now().toISOString();
      const known = await store.get(EMBEDDED_TERMINAL_ID);
      if (known) {
        const { before, after } = await change(EMBEDDED_TERMINAL_ID, (current) =>
          current.status === 'revoked' || current.publicKey === publicKey ? null : { ...current, publicKey, keyIssuedAt: at },
        );
        if (!after) return before.status === 'revoked' ? null : before;
        await audit.append({
          at,
          actor: actorOf(SYSTEM),
          action: 'terminal.keyReissued',
          target: { type: 'terminal', id: EMBEDDED_TERMINAL_ID },
          before: auditView(before),
          after: auditView(after),
          note: null,
        });
        return after;
      }
      // The console names it by its flag; the stored name is its id.
      const terminal: Terminal = {
        id: EMBEDDED_TERMINAL_ID,
        name: EMBEDDED_TERMINAL_ID,
        nameKey: null,
        location: '',
        publicKey,
        status: 'active',
        embedded: true,
        enrolledAt: at,
        keyIssuedAt: at,
        revokedAt: null,
        lastContactAt: null,
        shellVersion: null,
        printer: null,
      };
      // Enrolled once, when the service starts: nothing else inserts this id.
      if (!(await store.insert(terminal))) return store.get(EMBEDDED_TERMINAL_ID);
      await audit.append({
        at,
        actor: actorOf(SYSTEM),
        action: 'terminal.enrolled',
        target: { type: 'terminal', id: EMBEDDED_TERMINAL_ID },
        before: null,
        after: auditView(terminal),
        note: null,
      });
      return terminal;
    },

    async verify(header, request) {
      if (header === undefined) return null;
      const proof = parseProof(header);
      if (!proof) return { refused: 'malformed', terminalId: null };
      const terminal = await store.get(proof.id);
      if (!terminal) return { refused: 'unknown', terminalId: proof.id };
      if (terminal.status !== 'active') return { refused: 'revoked', terminalId: proof.id };
      const now = clock.now();
      if (Math.abs(now.getTime() / 1000 - proof.time) > PROOF_WINDOW_SECONDS) return { refused: 'time', terminalId: proof.id };
      if (!signatureValid(terminal.publicKey, proofMessage(request.method, request.pathAndQuery, proof.signed), proof.signature)) {
        return { refused: 'signature', terminalId: proof.id };
      }
      const printer: PrinterState | null = proof.printer === 'unknown' ? terminal.printer : proof.printer;
      const stale = !terminal.lastContactAt || now.getTime() - new Date(terminal.lastContactAt).getTime() >= CONTACT_EVERY_SECONDS * 1000;
      if (!stale && terminal.shellVersion === proof.shellVersion && terminal.printer === printer) return { terminal };
      // Only while the key that signed is still the terminal's: a revocation in between wins.
      const seen = await store.update(
        terminal.id,
        { status: 'active', publicKey: terminal.publicKey },
        { lastContactAt: now.toISOString(), shellVersion: proof.shellVersion, printer },
      );
      return seen ? { terminal: seen } : { refused: 'revoked', terminalId: proof.id };
    },
  };
}
