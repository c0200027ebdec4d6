/**
 * The built-in backend: N simulated ArduCopters (sitl/sim) in this process, each with the mission protocol and
 * AUTO, on TCP 5760+10·i (the ground station connects out, as to ArduPilot SITL) or all on one UDP stream.
 * Optionally each preloads a mission and flies it by itself, for demos.
 */
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { SimFleet } from "../sim/fleet";
import type { FleetVehicleOptions } from "../sim/fleet";
import { parseFaultSchedule } from "../sim/faults";
import type { FaultSpec } from "../sim/faults";
import { MissionServer, parseWaypoints } from "../sim/mission";
import type { MissionItem } from "../sim/mission";
import { homeFor } from "./homes";
import { missionHome, shiftMission } from "./missions";
import type { Home, Launched } from "./types";

/** bootTimeScale of --fast-boot: armable after ~2.4 s instead of the recorded ~24 s. */
export const FAST_BOOT_SCALE = 0.1;

export interface BuiltinVehicle {
  sysid: number;
  home: Home;
  faults?: FaultSpec[];
  /** Preloaded and, with autoFly, flown again and again. */
  mission?: MissionItem[];
}

export interface BuiltinOptions {
  vehicles: BuiltinVehicle[];
  /** TCP: vehicle i on basePort + 10·i; UDP: every vehicle to this HOST:PORT. */
  transport: { kind: "tcp"; basePort: number } | { kind: "udp"; target: string };
  fastBoot: boolean;
  speedup?: number;
  /** Fly the preloaded missions by themselves: GUIDED, arm, take off, AUTO, land, pause, again. */
  autoFly?: { pauseMs: number };
  logger: Logger;
}

interface AutoFlyer {
  autoFly(items: MissionItem[], opts: { repeat: boolean; pauseMs: number }): void;
}

/** The simulator's autoFly, if this build has it (it is being written beside this launcher). */
function autoFlyerOf(vehicle: object): AutoFlyer | null {
  return "autoFly" in vehicle && typeof vehicle.autoFly === "function" ? (vehicle as AutoFlyer) : null;
}

export async function launchBuiltin(opts: BuiltinOptions): Promise<Launched> {
  const fleet = new SimFleet({
    vehicles: opts.vehicles.map((v): FleetVehicleOptions => ({ sysid: v.sysid, home: v.home, ...(v.faults ? { faults: v.faults } : {}) })),
    transport: opts.transport.kind === "tcp" ? { kind: "tcp", host: "127.0.0.1", basePort: opts.transport.basePort } : opts.transport,
    ...(opts.fastBoot ? { bootTimeScale: FAST_BOOT_SCALE } : {}),
    ...(opts.speedup !== undefined ? { speedup: opts.speedup } : {}),
    logger: opts.logger,
  });
  const notes: string[] = [];
  opts.vehicles.forEach((v, i) => {
    if (v.mission === undefined) return;
    // Preloaded, so a ground station that downloads the mission sees it before the first flight.
    const server = fleet.vehicle(i).mission?.server;
    if (server instanceof MissionServer) server.load(v.mission);
    if (opts.autoFly === undefined) return;
    const flyer = autoFlyerOf(fleet.vehicle(i));
    if (flyer) flyer.autoFly(v.mission, { repeat: true, pauseMs: opts.autoFly.pauseMs });
    else notes.push(`vehicle ${v.sysid}: mission loaded; this simulator build cannot fly it by itself: arm it and switch to AUTO`);
  });
  const { links } = await fleet.start();
  let stopped = false;
  return {
    links,
    sysids: opts.vehicles.map((v) => v.sysid),
    notes,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await fleet.stop();
    },
  };
}

/** Reads a .waypoints mission (QGC WPL 110). */
export function readMission(file: string): MissionItem[] {
  return parseWaypoints(readFileSync(file, "utf8"));
}

/**
 * Vehicle i's start and mission: a mission's home (or the base) for vehicle 0, the next grid point for the others,
 * with the mission moved along so each flies its own copy of the pattern.
 */
export function builtinVehicles(n: number, sysidBase: number, base: Home | null, items: MissionItem[] | null): BuiltinVehicle[] {
  const fromMission = items === null ? null : missionHome(items);
  const origin = base ?? fromMission;
  if (origin === null) throw new Error("no home: give --home, or a mission whose first item is its home");
  return Array.from({ length: n }, (_, i) => {
    const home = homeFor(origin, i);
    const v: BuiltinVehicle = { sysid: sysidBase + i, home };
    if (items !== null) v.mission = shiftMission(items, fromMission ?? origin, home);
    return v;
  });
}

/**
 * --faults: a JSON array of faults for every vehicle, or an object of arrays keyed by vehicle index (0-based);
 * inline JSON or a file holding it. Faults: {"at": ms, "fault": "silence"|"corrupt"|"gpsLoss"|"battery"|"reboot",
 * "durationMs"?, "rate"?}.
 */
export function parseFaults(spec: string, vehicles: number): (FaultSpec[] | undefined)[] {
  const text = /^\s*[[{]/.test(spec) ? spec : readFileSync(spec, "utf8");
  const data: unknown = JSON.parse(text);
  if (Array.isArray(data)) {
    const all = parseFaultSchedule(data);
    return Array.from({ length: vehicles }, () => all);
  }
  if (typeof data !== "object" || data === null) throw new Error("--faults: expected a JSON array, or an object keyed by vehicle index");
  const out: (FaultSpec[] | undefined)[] = Array.from({ length: vehicles }, () => undefined);
  for (const [key, value] of Object.entries(data)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= vehicles) throw new Error(`--faults: vehicle index ${key} is not 0..${vehicles - 1}`);
    out[i] = parseFaultSchedule(value);
  }
  return out;
}
