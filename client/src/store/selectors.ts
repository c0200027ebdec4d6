import { WATCH_MAX } from "../../../server/protocol";
import type { StatusText, VehicleKey, VehicleState } from "../../../server/protocol";
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

/**
 * The vehicles whose instruments this screen may draw, so whose detail it asks the server for ("vehicles:watch"):
 * the selected one and, for a pilot, every one they hold. Sorted, so an unchanged set compares equal.
 */
export function watchedKeys(s: Pick<AppData, "selectedKey" | "control" | "auth">): VehicleKey[] {
  const name = s.auth.user?.name;
  const held = name === undefined ? [] : (Object.entries(s.control) as [VehicleKey, { holder: string }][])
    .filter(([key, c]) => c.holder === name && key !== s.selectedKey).map(([key]) => key).sort();
  // The selected one first: it is the one on screen, whatever the bound leaves out.
  return (s.selectedKey ? [s.selectedKey, ...held] : held).slice(0, WATCH_MAX).sort();
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
