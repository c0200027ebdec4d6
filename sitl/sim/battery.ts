/**
 * A 4S pack: 12.6 V full, current from what the motors do (the recording hovers at ~27 A, climbs at ~36 A,
 * cruises at ~30 A), voltage falling with charge used and sagging with current, so BATT_LOW_VOLT is reached
 * late in a long flight as on a real pack (ArduPilot's SITL keeps 12.6 V throughout; a GCS wants to see it move).
 */
export interface BatteryState {
  voltage: number;
  current: number;
  consumedMah: number;
  /** 0..1 */
  remaining: number;
}

const FULL_V = 12.6;
const EMPTY_V = 10.2;
const SAG_V_PER_A = 0.005;

export function fullBattery(): BatteryState {
  return { voltage: FULL_V, current: 0, consumedMah: 0, remaining: 1 };
}

export interface PowerDemand {
  armed: boolean;
  landed: boolean;
  groundSpeed: number;
  climb: number;
}

export function currentFor(d: PowerDemand): number {
  if (!d.armed) return 0;
  if (d.landed) return 4;
  return 27 + 3.5 * Math.max(0, d.climb) + 0.3 * d.groundSpeed;
}

export function stepBattery(b: BatteryState, d: PowerDemand, capacityMah: number, dt: number): void {
  b.current = currentFor(d);
  b.consumedMah += (b.current * dt * 1000) / 3600;
  b.remaining = Math.max(0, 1 - b.consumedMah / Math.max(1, capacityMah));
  b.voltage = EMPTY_V + (FULL_V - EMPTY_V) * b.remaining - SAG_V_PER_A * b.current;
}

/** Drains the pack to `remaining` (fault injection): the voltage follows at the next step. */
export function drainTo(b: BatteryState, remaining: number, capacityMah: number): void {
  b.remaining = Math.max(0, Math.min(1, remaining));
  b.consumedMah = (1 - b.remaining) * capacityMah;
  b.voltage = EMPTY_V + (FULL_V - EMPTY_V) * b.remaining - SAG_V_PER_A * b.current;
}
