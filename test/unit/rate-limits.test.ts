import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../service/adapters/lowdb/rate-limits.js';
import { DomainError } from '../../service/domain/errors.js';
import { RateLimit } from '../../service/domain/rate-limits.js';
import { TestClock } from '../support/factories.js';

const refusal = (p: Promise<void>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof DomainError ? { code: e.code, params: e.params } : e),
  );

describe('a rate limit on the embedded (in-memory) counters', () => {
  it('allows the limit in any window, refuses the next with its own error and the seconds to wait, and allows again once the oldest attempt has left', async () => {
    const clock = new TestClock();
    const limit = new RateLimit(new MemoryRateLimitStore(), clock, 'verify', { limit: 3, windowSeconds: 600 }, 'verify.rateLimited');
    await limit.hit('1.2.3.4');
    clock.advance(100);
    await limit.hit('1.2.3.4');
    await limit.hit('1.2.3.4');
    expect(await refusal(limit.hit('1.2.3.4'))).toEqual({ code: 'verify.rateLimited', params: { seconds: 500 } });
    await limit.hit('5.6.7.8');
    clock.advance(500);
    expect(await refusal(limit.hit('1.2.3.4'))).toBeNull();
    expect(await refusal(limit.hit('1.2.3.4'))).toEqual({ code: 'verify.rateLimited', params: { seconds: 100 } });
  });

  it('answers with the error of its limiter', async () => {
    const limit = new RateLimit(new MemoryRateLimitStore(), new TestClock(), 'saml-login', { limit: 0, windowSeconds: 60 }, 'saml.rateLimited');
    expect(await refusal(limit.hit('1.2.3.4'))).toMatchObject({ code: 'saml.rateLimited' });
  });

  it('forgets clients whose attempts have all left the window, so memory does not grow with every client ever seen', async () => {
    const store = new MemoryRateLimitStore();
    const rule = { limit: 5, windowSeconds: 60 };
    const t0 = new Date('2026-04-01T09:00:00Z');
    for (let i = 0; i < 10_001; i++) await store.hit('verify', `10.0.${i >> 8}.${i & 255}`, t0, rule);
    expect(store.size).toBe(10_001);
    await store.hit('verify', '192.0.2.1', new Date(t0.getTime() + 61_000), rule);
    expect(store.size).toBe(1);
  });
});
