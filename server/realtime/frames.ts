import { vehiclePatch } from "../protocol";
import type { VehicleKey, VehiclePatch, VehicleState } from "../protocol";

/**
 * What every screen was last sent of each vehicle, so a frame carries only what changed since. One instance serves
 * every screen: a frame is encoded once and written to all of them, and a screen that cannot take one is resynced
 * with a full frame instead of being sent a patch it cannot apply.
 */
export class FrameDeltas {
  private readonly sent = new Map<VehicleKey, VehicleState>();
  private lastFullAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly fullEveryMs: number) {}

  /** Whether the periodic full frame is due (it bounds how long any screen can hold a wrong copy). */
  fullDue(time: number): boolean {
    return time - this.lastFullAt >= this.fullEveryMs || time < this.lastFullAt;
  }

  /** The patches of the vehicles that changed (those with nothing new are left out); remembered as sent. */
  delta(changed: readonly VehicleState[]): VehiclePatch[] {
    const out: VehiclePatch[] = [];
    for (const v of changed) {
      const patch = vehiclePatch(this.sent.get(v.key), v);
      this.sent.set(v.key, v);
      if (patch) out.push(patch);
    }
    return out;
  }

  /** Every vehicle whole; remembered as sent. */
  full(all: readonly VehicleState[], time: number): VehicleState[] {
    this.sent.clear();
    for (const v of all) this.sent.set(v.key, v);
    this.lastFullAt = time;
    return [...all];
  }

  forget(keys: readonly VehicleKey[]): void {
    for (const k of keys) this.sent.delete(k);
  }
}
