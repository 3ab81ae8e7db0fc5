import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedTerminalKey, parseTerminalKey } from '../../main/terminal-key.js';
import { openTerminalStore, TERMINALS_FILE } from '../../service/adapters/lowdb/terminal-store.js';
import type { AuditEntry } from '../../service/domain/audit.js';
import { DomainError } from '../../service/domain/errors.js';
import { createTerminalService, EMBEDDED_TERMINAL_ID, type TerminalService } from '../../service/domain/terminals/service.js';
import { random, TestClock } from '../support/factories.js';
import { proofValue, TEST_ADMINISTRATOR } from '../support/terminal.js';

/**
 * Enrolment and proofs of campus terminals (service/domain/terminals), with the proofs made by the
 * shell's own signer (main/terminal-key.ts) so that both halves of the protocol are tested together.
 */
const SERVICE = 'https://shomei.example.ac.jp';
const reviewer = { type: 'staff' as const, id: 'staff-reviewer', name: 'Reviewer', role: 'reviewer' as const };

describe('campus terminals', () => {
  let dir: string;
  let clock: TestClock;
  let audit: AuditEntry[];
  let terminals: TerminalService;

  const open = async () =>
    createTerminalService({
      store: await openTerminalStore(dir),
      audit: { append: async (e) => (audit.push({ ...e, id: String(audit.length + 1) }), audit.at(-1)!) },
      clock,
      random,
    });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-terminals-'));
    clock = new TestClock();
    audit = [];
    terminals = await open();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** What the service makes of a request the shell proved with `key` at `at`, sent as `method url`. */
  const verify = (key: ReturnType<typeof parseTerminalKey>, signed: { method: string; url: string; at?: Date }, sent = signed) =>
    terminals.verify(proofValue(key!, signed.method, signed.url, signed.at ?? clock.now()), {
      method: sent.method,
      pathAndQuery: new URL(sent.url).pathname + new URL(sent.url).search,
    });

  it('enrols a terminal with a 256-bit key shown once: the store keeps only its public half, and the enrolment is audited', async () => {
    const issued = await terminals.enroll({ name: 'LIB-1F-01', location: '図書館 1階' }, TEST_ADMINISTRATOR);
    const key = parseTerminalKey(issued.key);
    expect(key?.id).toBe(issued.terminal.id);
    expect(key?.secret).toHaveLength(32);
    const secret = issued.key.split('.')[2]!;
    expect(readFileSync(path.join(dir, TERMINALS_FILE), 'utf8')).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(issued.terminal).toMatchObject({ name: 'LIB-1F-01', location: '図書館 1階', status: 'active', lastContactAt: null, printer: null });
    expect(audit.map((e) => [e.action, e.actor.id, e.target])).toEqual([
      ['terminal.enrolled', TEST_ADMINISTRATOR.id, { type: 'terminal', id: issued.terminal.id }],
    ]);

    // Another terminal's key is another key.
    const other = await terminals.enroll({ name: 'LIB-1F-02', location: '' }, TEST_ADMINISTRATOR);
    expect(other.key).not.toBe(issued.key);
    expect(other.terminal.id).not.toBe(issued.terminal.id);
  });

  it('refuses a second terminal of the same name, and a reviewer, without storing anything', async () => {
    await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    await expect(terminals.enroll({ name: 'ｌｉｂ-1f-01', location: '' }, TEST_ADMINISTRATOR)).rejects.toMatchObject({
      code: 'terminal.nameTaken',
      fields: { name: 'terminal.nameTaken' },
    });
    await expect(terminals.enroll({ name: 'LIB-2F-01', location: '' }, reviewer)).rejects.toBeInstanceOf(DomainError);
    expect((await terminals.list()).map((t) => t.name)).toEqual(['LIB-1F-01']);
    expect(audit).toHaveLength(1);
  });

  it('still refuses a clashing name when the stored terminal was written before name keys were kept', async () => {
    await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    const file = path.join(dir, TERMINALS_FILE);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { records: Record<string, unknown>[] };
    for (const t of stored.records) delete t.nameKey;
    writeFileSync(file, JSON.stringify(stored));
    terminals = await open();
    await expect(terminals.enroll({ name: 'ｌｉｂ-1f-01', location: '' }, TEST_ADMINISTRATOR)).rejects.toMatchObject({ code: 'terminal.nameTaken' });
    expect((await terminals.enroll({ name: 'LIB-1F-02', location: '' }, TEST_ADMINISTRATOR)).terminal.name).toBe('LIB-1F-02');
  });

  it('accepts a proof for the very method and path it was made for, within a minute of the service clock', async () => {
    const issued = await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    const key = parseTerminalKey(issued.key);
    const claim = { method: 'POST', url: `${SERVICE}/api/certificates/campus-jobs/job-1/claim` };

    expect(await verify(key, claim)).toMatchObject({ terminal: { id: issued.terminal.id } });
    expect(await verify(key, { ...claim, at: new Date(clock.now().getTime() - 59_000) })).toHaveProperty('terminal');
    expect(await verify(key, { ...claim, at: new Date(clock.now().getTime() + 59_000) })).toHaveProperty('terminal');
    // Replayed for another path, another method, another query, or outside its window: refused.
    expect(await verify(key, claim, { method: 'POST', url: `${SERVICE}/api/certificates/campus-jobs/job-2/claim` })).toEqual({
      refused: 'signature',
      terminalId: issued.terminal.id,
    });
    expect(await verify(key, claim, { method: 'GET', url: claim.url })).toEqual({ refused: 'signature', terminalId: issued.terminal.id });
    const doc = { method: 'GET', url: `${SERVICE}/api/certificates/campus-jobs/job-1/documents/A-1.pdf?claim=c-1` };
    expect(await verify(key, doc, { ...doc, url: doc.url.replace('c-1', 'c-2') })).toEqual({ refused: 'signature', terminalId: issued.terminal.id });
    expect(await verify(key, { ...claim, at: new Date(clock.now().getTime() - 61_000) })).toEqual({ refused: 'time', terminalId: issued.terminal.id });
    expect(await verify(key, { ...claim, at: new Date(clock.now().getTime() + 61_000) })).toEqual({ refused: 'time', terminalId: issued.terminal.id });
  });

  it('refuses a proof made with another key, under an unknown id, or that is not a proof at all; no header is no terminal', async () => {
    const issued = await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    const forged = parseTerminalKey(`stk1.${issued.terminal.id}.${Buffer.alloc(32, 1).toString('base64url')}`);
    const request = { method: 'GET', url: `${SERVICE}/api/session` };
    expect(await verify(forged, request)).toEqual({ refused: 'signature', terminalId: issued.terminal.id });
    expect(await verify(parseTerminalKey(`stk1.nobody.${Buffer.alloc(32, 1).toString('base64url')}`), request)).toEqual({
      refused: 'unknown',
      terminalId: 'nobody',
    });
    expect(await terminals.verify('ShomeiKiosk/1.0', { method: 'GET', pathAndQuery: '/api/session' })).toEqual({ refused: 'malformed', terminalId: null });
    expect(await terminals.verify(undefined, { method: 'GET', pathAndQuery: '/api/session' })).toBeNull();
  });

  it('a revoked terminal is refused from its next request; a new key makes it a terminal again, and the old key stays refused', async () => {
    const issued = await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    const old = parseTerminalKey(issued.key);
    const request = { method: 'GET', url: `${SERVICE}/api/session` };
    expect(await verify(old, request)).toHaveProperty('terminal');

    const revoked = await terminals.revoke(issued.terminal.id, TEST_ADMINISTRATOR);
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: clock.now().toISOString() });
    expect(await verify(old, request)).toEqual({ refused: 'revoked', terminalId: issued.terminal.id });
    // Revoking again changes nothing and writes nothing.
    await terminals.revoke(issued.terminal.id, TEST_ADMINISTRATOR);

    clock.advance(60);
    const replaced = await terminals.reissue(issued.terminal.id, TEST_ADMINISTRATOR);
    expect(replaced.terminal).toMatchObject({ id: issued.terminal.id, status: 'active', revokedAt: null, keyIssuedAt: clock.now().toISOString() });
    expect(await verify(parseTerminalKey(replaced.key), request)).toHaveProperty('terminal');
    expect(await verify(old, request)).toEqual({ refused: 'signature', terminalId: issued.terminal.id });
    expect(audit.map((e) => e.action)).toEqual(['terminal.enrolled', 'terminal.revoked', 'terminal.keyReissued']);
    expect(audit[1]).toMatchObject({ before: { status: 'active' }, after: { status: 'revoked' } });

    await expect(terminals.revoke('missing', TEST_ADMINISTRATOR)).rejects.toMatchObject({ code: 'terminal.notFound' });
    await expect(terminals.reissue('missing', TEST_ADMINISTRATOR)).rejects.toMatchObject({ code: 'terminal.notFound' });
    await expect(terminals.revoke(issued.terminal.id, reviewer)).rejects.toMatchObject({ code: 'auth.forbidden' });
  });

  it('records last contact, shell version and printer state from the proofs, writing at most once a minute unless they change', async () => {
    const issued = await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    const key = parseTerminalKey(issued.key)!;
    const send = (printer: 'ready' | 'missing' | 'error' | 'unknown') =>
      terminals.verify(proofValue(key, 'GET', `${SERVICE}/api/terminal`, clock.now(), printer), { method: 'GET', pathAndQuery: '/api/terminal' });
    const first = clock.now().toISOString();
    await send('ready');
    expect((await terminals.get(issued.terminal.id))!).toMatchObject({ lastContactAt: first, shellVersion: '0.1.0-test', printer: 'ready' });
    clock.advance(30);
    await send('ready');
    expect((await terminals.get(issued.terminal.id))!.lastContactAt).toBe(first);
    await send('missing');
    expect((await terminals.get(issued.terminal.id))!).toMatchObject({ lastContactAt: clock.now().toISOString(), printer: 'missing' });
    // "unknown" (the shell has not checked yet) keeps what is known.
    clock.advance(60);
    await send('unknown');
    expect((await terminals.get(issued.terminal.id))!).toMatchObject({ lastContactAt: clock.now().toISOString(), printer: 'missing' });
    // Nothing of this is audited: it is contact, not a change anyone made.
    expect(audit.map((e) => e.action)).toEqual(['terminal.enrolled']);
  });

  it('a contact recorded just after a revocation does not bring the terminal back', async () => {
    const issued = await terminals.enroll({ name: 'LIB-1F-01', location: '' }, TEST_ADMINISTRATOR);
    const key = parseTerminalKey(issued.key)!;
    // The proof was checked against the active terminal; the revocation lands before its contact is written.
    const checking = terminals.verify(proofValue(key, 'GET', `${SERVICE}/api/terminal`, clock.now()), { method: 'GET', pathAndQuery: '/api/terminal' });
    const revoking = terminals.revoke(issued.terminal.id, TEST_ADMINISTRATOR);
    await Promise.all([checking, revoking]);
    expect((await terminals.get(issued.terminal.id))!.status).toBe('revoked');
  });

  it('the embedded kiosk shell enrols its own machine with a key it made; a new start replaces the key; a revocation sticks', async () => {
    const first = embeddedTerminalKey();
    const enrolled = await terminals.enrollEmbedded(first.publicKey);
    expect(enrolled).toMatchObject({ id: EMBEDDED_TERMINAL_ID, embedded: true, status: 'active' });
    const request = { method: 'GET', url: 'http://127.0.0.1:41234/api/session' };
    expect(await verify(first.key, request)).toHaveProperty('terminal');
    // The same start again (the service restarted under the same shell): nothing changes.
    await terminals.enrollEmbedded(first.publicKey);
    expect(audit.map((e) => [e.action, e.actor.type])).toEqual([['terminal.enrolled', 'system']]);

    const second = embeddedTerminalKey();
    await terminals.enrollEmbedded(second.publicKey);
    expect(await verify(first.key, request)).toEqual({ refused: 'signature', terminalId: EMBEDDED_TERMINAL_ID });
    expect(await verify(second.key, request)).toHaveProperty('terminal');

    await terminals.revoke(EMBEDDED_TERMINAL_ID, TEST_ADMINISTRATOR);
    const third = embeddedTerminalKey();
    expect(await terminals.enrollEmbedded(third.publicKey)).toBeNull();
    expect(await verify(third.key, request)).toEqual({ refused: 'revoked', terminalId: EMBEDDED_TERMINAL_ID });
    expect(audit.map((e) => e.action)).toEqual(['terminal.enrolled', 'terminal.keyReissued', 'terminal.revoked']);
  });

  it('keeps terminals across a restart of the service, active ones first', async () => {
    await terminals.enroll({ name: 'B-terminal', location: '' }, TEST_ADMINISTRATOR);
    const a = await terminals.enroll({ name: 'A-terminal', location: '' }, TEST_ADMINISTRATOR);
    const gone = await terminals.enroll({ name: '0-terminal', location: '' }, TEST_ADMINISTRATOR);
    await terminals.revoke(gone.terminal.id, TEST_ADMINISTRATOR);
    terminals = await open();
    expect((await terminals.list()).map((t) => t.name)).toEqual(['A-terminal', 'B-terminal', '0-terminal']);
    expect(await verify(parseTerminalKey(a.key), { method: 'GET', url: `${SERVICE}/` })).toHaveProperty('terminal');
  });
});
