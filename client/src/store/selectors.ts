import type { StatusText, VehicleState } from "../../../server/protocol";
import type { AppData } from "./types";

/**
 * Memoises a selector on one input reference. Selectors that build new arrays must return the same
 * array while their input is unchanged, or useSyncExternalStore re-renders forever.
 */
function memoOn<I, O>(input: (s: AppData) => I, compute: (i: I) => O): (s: AppData) => O {
  let lastIn: I | undefined;
  let lastOut: O | undefined;
  let primed = false;
  return (s) => {
    const i = input(s);
    if (!primed || i !== lastIn) {
      lastOut = compute(i);
      lastIn = i;
      primed = true;
    }
    return lastOut as O;
  };
}

export function compareVehicles(a: VehicleState, b: VehicleState): number {
  return a.sysid - b.sysid || a.compid - b.compid;
}

/** Vehicles sorted by sysid then compid. Each consumer creates its own (a memo cache is per consumer, not global). */
export function makeSelectVehicleList(): (s: AppData) => readonly VehicleState[] {
  return memoOn((s) => s.vehicles, (vehicles) => Object.values(vehicles).sort(compareVehicles));
}

export function selectSelectedVehicle(s: AppData): VehicleState | null {
  return s.selectedKey === null ? null : (s.vehicles[s.selectedKey] ?? null);
}

/** The server clock now, estimated from the client clock and the offset measured on the last frame. */
export function serverNow(s: Pick<AppData, "clockOffsetMs">, clientNow: number): number {
  return clientNow + s.clockOffsetMs;
}

/** Milliseconds since the last HEARTBEAT, on the server clock; never negative. */
export function heartbeatAge(vehicle: VehicleState, now: number): number {
  return Math.max(0, now - vehicle.link.lastHeartbeat);
}

/**
 * A vehicle is stale when the server says its link is lost, or when its last heartbeat is older than
 * lostAfterMs: the latter also covers a client that stopped receiving frames (server or network down).
 */
export function isStale(vehicle: VehicleState, now: number, lostAfterMs: number): boolean {
  return vehicle.link.state === "lost" || heartbeatAge(vehicle, now) > lostAfterMs;
}

export function lastStatusText(vehicle: VehicleState): StatusText | null {
  return vehicle.statusTexts[vehicle.statusTexts.length - 1] ?? null;
}

export function countStale(vehicles: readonly VehicleState[], now: number, lostAfterMs: number): number {
  return vehicles.reduce((n, v) => n + (isStale(v, now, lostAfterMs) ? 1 : 0), 0);
}
