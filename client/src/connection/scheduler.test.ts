import { afterEach, describe, expect, it, vi } from "vitest";
import { animationFrameScheduler } from "./scheduler";

afterEach(() => {
  vi.useRealTimers();
});

describe("animationFrameScheduler", () => {
  it("runs the task once, on the animation frame", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame", "setTimeout", "clearTimeout"] });
    const task = vi.fn();
    animationFrameScheduler(500)(task);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersToNextFrame();
    expect(task).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it("can be cancelled", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame", "setTimeout", "clearTimeout"] });
    const task = vi.fn();
    animationFrameScheduler(500)(task)();
    vi.advanceTimersByTime(1000);
    expect(task).not.toHaveBeenCalled();
  });
});
