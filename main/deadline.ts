/**
 * Waiting with a limit, over the injected timers: an Electron call that never settles (a wipe
 * step, a page load) must not leave the kiosk stuck.
 */
import type { KioskTimers } from './electron-api.js';

/** The deadline passed before the awaited call settled (the call itself goes on). */
export class DeadlineError extends Error {}

/** Settles as `promise` does, or rejects with a DeadlineError(`message`) after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, timers: KioskTimers, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => reject(new DeadlineError(message)), ms);
    promise.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (e: unknown) => {
        timers.clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Resolves after `ms`. */
export function delay(ms: number, timers: KioskTimers): Promise<void> {
  return new Promise((resolve) => void timers.setTimeout(resolve, ms));
}
