/**
 * Every wait and timeout of the vehicle-facing suite goes through T(): milliseconds as the built-in simulator needs
 * them, multiplied by the time scale global-setup.ts provides. That is SITL_TIME_SCALE when set, else 1 for the
 * built-in simulator (which runs 5x faster than real time) and 4 for a real SITL given by SITL_LINKS (speedup 1).
 * A real SITL run with --speedup N can use SITL_TIME_SCALE=4/N; a slow machine a bigger one.
 */
import { inject } from "vitest";

export const TIME_SCALE = inject("sitlTimeScale");

/** `ms` scaled for the vehicle under test. */
export function T(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}

/** Resolves after `ms` (already scaled by the caller). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
