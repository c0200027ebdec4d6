/**
 * How the vehicle hosts the mission module (sitl/sim/mission): one MissionServer (protocol) and one
 * MissionExecutor (AUTO) per vehicle. The vehicle uses them through these narrow interfaces so a test can pass
 * its own, and builds the real ones by default.
 */
import type { RawMessage } from "../../server/mavlink";
import { MissionExecutor, MissionServer } from "./mission";
import type { MissionHost, MissionItem, NavState, NavTarget } from "./mission";

export type { MissionHost, NavState, NavTarget };

export interface MissionServerPort {
  handle(msg: RawMessage): boolean;
  tick(now: number): void;
  /** Preloads a mission (demo); items as stored, home at seq 0. */
  load(items: MissionItem[]): void;
  items(): MissionItem[];
}

export interface MissionExecutorPort {
  start(nav?: NavState): boolean;
  step(nav: NavState, now: number): NavTarget;
  readonly current: number;
  readonly total: number;
  readonly state: number;
  readonly speedOverride: number | null;
  setCurrent(seq: number): boolean;
}

export interface MissionPorts {
  server: MissionServerPort;
  executor: MissionExecutorPort;
}

/** The real mission module; `radiusM` is WPNAV_RADIUS in metres, read at each use. */
export function createMission(host: MissionHost, radiusM: () => number): MissionPorts {
  const server = new MissionServer(host);
  const executor = new MissionExecutor(server, host, { acceptanceRadiusM: radiusM });
  return { server, executor };
}
