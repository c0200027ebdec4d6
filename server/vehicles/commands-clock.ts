/** The clock and timers the command and mission clients run on: injected, so tests drive them on a virtual clock. */
export type TimerHandle = unknown;

export interface CommandClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real timers, unref'd: a pending command or transfer never keeps the process alive. */
export const REAL_CLOCK: CommandClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
