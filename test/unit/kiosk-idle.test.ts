import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { idleLimits, IdleWatch, type IdleWatchEvents } from '../../renderer/src/kiosk/idle.js';

describe('kiosk idle limits', () => {
  it('keeps the terminal settings when they end well before the service idle limit', () => {
    expect(idleLimits({ idleTimeoutSeconds: 60, countdownSeconds: 30 }, 180)).toEqual({ idleSeconds: 60, countdownSeconds: 30 });
  });

  it('shortens the idle time so that the countdown ends at least 10 s before the service logs the kiosk session out', () => {
    expect(idleLimits({ idleTimeoutSeconds: 300, countdownSeconds: 30 }, 180)).toEqual({ idleSeconds: 140, countdownSeconds: 30 });
  });

  it('uses the terminal settings alone when the service limit is unknown', () => {
    expect(idleLimits({ idleTimeoutSeconds: 600, countdownSeconds: 45 }, null)).toEqual({ idleSeconds: 600, countdownSeconds: 45 });
  });

  it('never goes below a few seconds of idle time and countdown, even with a tiny service limit', () => {
    const limits = idleLimits({ idleTimeoutSeconds: 120, countdownSeconds: 60 }, 12);
    expect(limits.idleSeconds).toBeGreaterThanOrEqual(3);
    expect(limits.countdownSeconds).toBeGreaterThanOrEqual(3);
  });
});

describe('kiosk idle watch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function watch(idleSeconds = 10, countdownSeconds = 5) {
    const seen: string[] = [];
    const events: IdleWatchEvents = {
      countdown: (s) => seen.push(`countdown ${s}`),
      resumed: () => seen.push('resumed'),
      expired: () => seen.push('expired'),
    };
    const w = new IdleWatch({ idleSeconds, countdownSeconds }, events);
    w.start();
    return { w, seen };
  }

  it('starts the countdown after the idle time without input, counts each second down and expires once at zero', () => {
    const { w, seen } = watch();
    vi.advanceTimersByTime(9_999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['countdown 5']);
    vi.advanceTimersByTime(5_000);
    expect(seen).toEqual(['countdown 5', 'countdown 4', 'countdown 3', 'countdown 2', 'countdown 1', 'expired']);
    expect(w.phase).toBe('expired');
    vi.advanceTimersByTime(60_000);
    expect(seen.filter((e) => e === 'expired')).toHaveLength(1);
  });

  it('restarts the idle time on input before the countdown', () => {
    const { seen, w } = watch();
    vi.advanceTimersByTime(8_000);
    w.activity();
    vi.advanceTimersByTime(8_000);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(seen).toEqual(['countdown 5']);
  });

  it('keeps the session when there is input during the countdown, and counts again only after a full idle time', () => {
    const { seen, w } = watch();
    vi.advanceTimersByTime(12_000);
    w.activity();
    expect(seen).toEqual(['countdown 5', 'countdown 4', 'countdown 3', 'resumed']);
    expect(w.phase).toBe('watching');
    vi.advanceTimersByTime(9_999);
    expect(seen.at(-1)).toBe('resumed');
    vi.advanceTimersByTime(1);
    expect(seen.at(-1)).toBe('countdown 5');
  });

  it('does nothing more once stopped (someone logged out)', () => {
    const { seen, w } = watch();
    w.stop();
    w.activity();
    vi.advanceTimersByTime(60_000);
    expect(seen).toEqual([]);
  });
});
