import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectWhenQuiet } from '../../service/idle-gc.js';

const g = globalThis as { gc?: unknown };

describe('garbage collected in the pauses between requests', () => {
  const saved = g.gc;
  afterEach(() => {
    g.gc = saved;
    vi.useRealTimers();
  });

  it('collects once the heap has grown and no request came for a moment, never while requests keep coming', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const gc = vi.fn();
    g.gc = gc;
    const server = new EventEmitter() as unknown as Server;
    const stop = collectWhenQuiet(server);
    // Grow the heap well past the threshold, and keep it referenced.
    const kept = Array.from({ length: 40 }, () => new Array(64 * 1024).fill(Math.random()));
    // Busy: a request every 100 ms.
    for (let i = 0; i < 20; i++) {
      server.emit('request');
      vi.advanceTimersByTime(100);
    }
    expect(gc).not.toHaveBeenCalled();
    // Quiet.
    vi.advanceTimersByTime(1_000);
    expect(gc).toHaveBeenCalledTimes(1);
    // Quiet and no further growth: no second collection.
    vi.advanceTimersByTime(5_000);
    expect(gc).toHaveBeenCalledTimes(1);
    stop();
    expect(kept.length).toBe(40);
  });

  it('does nothing when the process was started without --expose-gc', () => {
    g.gc = undefined;
    const server = new EventEmitter() as unknown as Server;
    collectWhenQuiet(server)();
    expect(server.listenerCount('request')).toBe(0);
  });
});
