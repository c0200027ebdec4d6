/** Runs `task` once, later; returns a function that cancels it if it has not run yet. */
export type Scheduler = (task: () => void) => () => void;

/**
 * Runs the task on the next animation frame, so the store (and React) update at most once per
 * painted frame. Browsers pause requestAnimationFrame in background tabs, which would let the event
 * buffer grow without bound on a control-room screen that is not in front: a timer fallback
 * flushes it anyway (timers are throttled there, but still run).
 */
export function animationFrameScheduler(fallbackMs = 500): Scheduler {
  return (task) => {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      task();
    };
    const frame = requestAnimationFrame(run);
    const timer = setTimeout(run, fallbackMs);
    return () => {
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  };
}
