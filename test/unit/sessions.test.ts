import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LowdbStore } from '../../service/adapters/lowdb/store.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { createSessionService, type SessionService } from '../../service/domain/sessions.js';
import { random, tempStore, TestClock } from '../support/factories.js';

const policy = { idleSeconds: 1800, kioskIdleSeconds: 180, absoluteSeconds: 8 * 3600, touchEverySeconds: 60 };

describe('sessions', () => {
  let store: LowdbStore;
  let clock: TestClock;
  let sessions: SessionService;
  beforeEach(async () => {
    store = await tempStore();
    clock = new TestClock();
    sessions = createSessionService({ store, clock, random, policy });
  });
  afterEach(() => store.close());

  it('have 256-bit ids that are stored only as hashes', async () => {
    const live = await sessions.create({ kiosk: false, accountId: 'a1' });
    expect(Buffer.from(live.id, 'base64url')).toHaveLength(32);
    expect(await store.sessions.get(live.id)).toBeNull();
    expect(await store.sessions.get(hashSecret(live.id))).not.toBeNull();
  });

  it('end after 30 idle minutes, and after 3 on a kiosk', async () => {
    const browser = await sessions.create({ kiosk: false, accountId: 'a1' });
    const kiosk = await sessions.create({ kiosk: true, accountId: 'a1' });
    clock.advance(179);
    expect(await sessions.load(kiosk.id)).not.toBeNull();
    clock.advance(181);
    expect(await sessions.load(kiosk.id)).toBeNull();
    expect(await sessions.load(browser.id)).not.toBeNull();
    clock.advance(1800);
    expect(await sessions.load(browser.id)).toBeNull();
  });

  it('stay alive while used, but never past the absolute limit', async () => {
    const live = await sessions.create({ kiosk: false, accountId: 'a1' });
    for (let i = 0; i < 16; i += 1) {
      clock.advance(29 * 60);
      expect(await sessions.load(live.id)).not.toBeNull();
    }
    clock.advance(29 * 60);
    expect(await sessions.load(live.id)).toBeNull();
  });

  it('write the last-seen time at most once a minute', async () => {
    const live = await sessions.create({ kiosk: false, accountId: 'a1' });
    const first = (await store.sessions.get(live.record.idHash))!.lastSeenAt;
    clock.advance(30);
    await sessions.load(live.id);
    expect((await store.sessions.get(live.record.idHash))!.lastSeenAt).toBe(first);
    clock.advance(31);
    await sessions.load(live.id);
    expect((await store.sessions.get(live.record.idHash))!.lastSeenAt).not.toBe(first);
  });

  it('get a new id and CSRF token at login, and the old id stops working', async () => {
    const before = await sessions.create({ kiosk: false, accountId: 'a1' });
    const signedIn = await sessions.regenerate(before, { kiosk: false, accountId: 'a2', saml: null });
    expect(signedIn.id).not.toBe(before.id);
    expect(signedIn.record.csrfToken).not.toBe(before.record.csrfToken);
    expect(signedIn.record.accountId).toBe('a2');
    expect(await sessions.load(before.id)).toBeNull();
    expect((await sessions.load(signedIn.id))?.record.accountId).toBe('a2');
  });

  it('cost nothing while nobody has signed in: nothing is stored, the CSRF token follows from the cookie', async () => {
    const visitor = sessions.anonymous(null, false);
    expect(Buffer.from(visitor.id, 'base64url')).toHaveLength(32);
    expect(visitor.record.accountId).toBeNull();
    expect(store.counts().sessions).toBe(0);
    expect(await sessions.load(visitor.id)).toBeNull();
    // The same cookie, later: the same token, still nothing stored.
    clock.advance(3 * 3600);
    const again = sessions.anonymous(visitor.id, false);
    expect(again.record.csrfToken).toBe(visitor.record.csrfToken);
    expect(again.record.csrfToken).not.toBe(visitor.id);
    expect(again.record.csrfToken).not.toBe(hashSecret(visitor.id));
    expect(sessions.anonymous(null, false).record.csrfToken).not.toBe(visitor.record.csrfToken);
    const signedIn = await sessions.regenerate(again, { kiosk: false, accountId: 'a1', saml: null });
    expect(signedIn.id).not.toBe(visitor.id);
    expect(signedIn.record.csrfToken).not.toBe(visitor.record.csrfToken);
    expect(store.counts().sessions).toBe(1);
  });

  it('are gone from the server after logout', async () => {
    const live = await sessions.create({ kiosk: false, accountId: 'a1' });
    await sessions.destroy(live);
    expect(await sessions.load(live.id)).toBeNull();
  });
});
