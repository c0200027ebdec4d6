/** A repeating timer, injected so tests can run the sampler and the flush loop on a virtual clock. */
export interface Scheduler {
  every(ms: number, fn: () => void): { cancel(): void };
}

/** Real timers, unref'd: a pending flush or sample must not keep the process alive at shutdown. */
export const realScheduler: Scheduler = {
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  },
};
