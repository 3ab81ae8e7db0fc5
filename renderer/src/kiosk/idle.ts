/**
 * Idle watch of a kiosk terminal: after `idleSeconds` without input a countdown of
 * `countdownSeconds` starts; input during it keeps the session, its end logs out. Plain logic over
 * an injectable clock (the Vue side is useKioskIdle in KioskIdleCountdown.vue).
 */
import type { KioskTerminalInfo } from '../../../main/kiosk-bridge.js';

/** The shortest idle time and countdown a terminal may be set to (seconds). */
export const MIN_IDLE_SECONDS = 3;
export const MIN_COUNTDOWN_SECONDS = 3;
/** The dialog must be over this long before the service's own idle limit ends the session. */
export const SERVICE_MARGIN_SECONDS = 10;

export interface IdleLimits {
  idleSeconds: number;
  countdownSeconds: number;
}

/**
 * The idle time and countdown to use: the terminal's settings, shortened so that the countdown ends
 * at least SERVICE_MARGIN_SECONDS before the service's idle limit for this session (kiosk: 180 s).
 */
export function idleLimits(terminal: Pick<KioskTerminalInfo, 'idleTimeoutSeconds' | 'countdownSeconds'>, serviceIdleSeconds: number | null): IdleLimits {
  const whole = (n: number, fallback: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback);
  let countdownSeconds = Math.max(MIN_COUNTDOWN_SECONDS, whole(terminal.countdownSeconds, 30));
  let idleSeconds = Math.max(MIN_IDLE_SECONDS, whole(terminal.idleTimeoutSeconds, 120));
  if (serviceIdleSeconds !== null && serviceIdleSeconds > 0) {
    const room = serviceIdleSeconds - SERVICE_MARGIN_SECONDS;
    countdownSeconds = Math.max(MIN_COUNTDOWN_SECONDS, Math.min(countdownSeconds, room - MIN_IDLE_SECONDS));
    idleSeconds = Math.max(MIN_IDLE_SECONDS, Math.min(idleSeconds, room - countdownSeconds));
  }
  return { idleSeconds, countdownSeconds };
}

export interface IdleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface IdleWatchEvents {
  /** The countdown started or moved on: whole seconds left (countdownSeconds … 1). */
  countdown(secondsLeft: number): void;
  /** Input during the countdown: the session goes on. */
  resumed(): void;
  /** The countdown ran out: log out and wipe. Called once. */
  expired(): void;
}

export type IdlePhase = 'stopped' | 'watching' | 'counting' | 'expired';

/** Watches for input; the owner calls `activity()` on every pointer, key or touch event. */
export class IdleWatch {
  phase: IdlePhase = 'stopped';
  private timer: unknown = null;
  private deadline = 0;

  constructor(
    private readonly limits: IdleLimits,
    private readonly events: IdleWatchEvents,
    private readonly clock: IdleClock = realClock,
  ) {}

  start(): void {
    this.phase = 'watching';
    this.arm(this.limits.idleSeconds * 1000, () => this.startCountdown());
  }

  /** Any input: restarts the idle time, or ends the countdown and keeps the session. */
  activity(): void {
    if (this.phase === 'watching') this.start();
    else if (this.phase === 'counting') {
      this.start();
      this.events.resumed();
    }
  }

  stop(): void {
    this.clear();
    this.phase = 'stopped';
  }

  private startCountdown(): void {
    this.phase = 'counting';
    this.deadline = this.clock.now() + this.limits.countdownSeconds * 1000;
    this.tick();
  }

  private tick(): void {
    const leftMs = this.deadline - this.clock.now();
    if (leftMs <= 0) {
      this.clear();
      this.phase = 'expired';
      this.events.expired();
      return;
    }
    const seconds = Math.ceil(leftMs / 1000);
    this.events.countdown(seconds);
    // Wake at the next whole second (timers may run late: the deadline, not the tick count, decides).
    this.arm(leftMs - (seconds - 1) * 1000, () => this.tick());
  }

  private arm(ms: number, fn: () => void): void {
    this.clear();
    this.timer = this.clock.setTimeout(fn, Math.max(0, ms));
  }

  private clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
