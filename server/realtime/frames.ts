import { isWholeVehicle, vehiclePatch } from "../protocol";
import type { Attitude, VehicleKey, VehicleLinkHealth, VehiclePatch, VehicleState } from "../protocol";

/** Link counters (packets, bytes/s, heartbeat age) go to screens at most this often, unless the link's state changes. */
export const LINK_EVERY_MS = 1000;

function roundTo(x: number, decimals: number): number;
function roundTo(x: number | null, decimals: number): number | null;
function roundTo(x: number | null, decimals: number): number | null {
  return x === null ? null : Number(x.toFixed(decimals));
}

/**
 * A vehicle as screens are sent it. Attitude and VFR_HUD speeds arrive as float32, which JSON would print with
 * 17 digits of noise; they go out at 0.0001 rad (0.006°) and 0.01 m/s, finer than any screen draws. The rest is
 * exact: positions and altitudes come from integers (1e-7°, mm) and print short by themselves.
 */
export function toWire(v: VehicleState): VehicleState {
  const a = v.attitude;
  const attitude: Attitude | null = a ? { roll: roundTo(a.roll, 4), pitch: roundTo(a.pitch, 4), yaw: roundTo(a.yaw, 4) } : null;
  return { ...v, attitude, groundSpeed: roundTo(v.groundSpeed, 2), airSpeed: roundTo(v.airSpeed, 2), climb: roundTo(v.climb, 2) };
}

function linkUrgent(before: VehicleLinkHealth, after: VehicleLinkHealth): boolean {
  return before.state !== after.state || before.links.join() !== after.links.join();
}

/**
 * What every screen was last sent of each vehicle, so a frame carries only what changed since. One instance serves
 * every screen: a frame is encoded once and written to all of them, and a screen that cannot take one is resynced
 * with a full frame of what the others hold (`held`) instead of being sent a patch it cannot apply.
 */
export class FrameDeltas {
  private readonly sent = new Map<VehicleKey, VehicleState>();
  private readonly linkSentAt = new Map<VehicleKey, number>();
  private lastFullAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly fullEveryMs: number) {}

  /** Whether the periodic full frame is due (it bounds how long any screen can hold a wrong copy). */
  fullDue(time: number): boolean {
    return time - this.lastFullAt >= this.fullEveryMs || time < this.lastFullAt;
  }

  /** The patches of the vehicles that changed (those with nothing new to send are left out); remembered as sent. */
  delta(changed: readonly VehicleState[], time: number): VehiclePatch[] {
    const out: VehiclePatch[] = [];
    for (const v of changed) {
      const wire = toWire(v);
      const prev = this.sent.get(v.key);
      const patch = vehiclePatch(prev, wire);
      if (!patch) continue;
      if (prev && patch.link && !isWholeVehicle(patch) && !linkUrgent(prev.link, wire.link)
        && time - (this.linkSentAt.get(v.key) ?? Number.NEGATIVE_INFINITY) < LINK_EVERY_MS) {
        delete patch.link;
        if (Object.keys(patch).length === 1) continue;
      }
      if (patch.link) this.linkSentAt.set(v.key, time);
      this.sent.set(v.key, isWholeVehicle(patch) ? patch : { ...prev!, ...patch });
      out.push(patch);
    }
    return out;
  }

  /** Every vehicle whole; remembered as sent. */
  full(all: readonly VehicleState[], time: number): VehicleState[] {
    this.sent.clear();
    for (const v of all) {
      this.sent.set(v.key, toWire(v));
      this.linkSentAt.set(v.key, time);
    }
    this.lastFullAt = time;
    return this.held();
  }

  /** What every screen that took every frame holds now. */
  held(): VehicleState[] {
    return [...this.sent.values()];
  }

  forget(keys: readonly VehicleKey[]): void {
    for (const k of keys) {
      this.sent.delete(k);
      this.linkSentAt.delete(k);
    }
  }
}
