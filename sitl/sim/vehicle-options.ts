/** How a SimVehicle is built: its ids, where it stands, its clock, and what to inject. */
import type { Logger } from "pino";
import type { FaultSpec } from "./faults";
import type { MissionHost, MissionPorts } from "./mission-port";
import type { Home } from "./view";

export interface Clock {
  now(): number;
}

export interface SimVehicleOptions {
  sysid: number;
  compid?: 1;
  home: Home;
  /** 1 = the recorded boot timings; 0.05 for tests. */
  bootTimeScale?: number;
  clock: Clock;
  logger: Logger;
  /** Builds the mission server + AUTO executor (default: sitl/sim/mission's); null: none, AUTO refused. */
  mission?: ((host: MissionHost) => MissionPorts) | null;
  /** Faults to inject, ms after start. */
  faults?: FaultSpec[];
  /** Seed of the corruption fault's random numbers. */
  seed?: number;
  /**
   * MAVLink 2 signing key (32 bytes), as set by SETUP_SIGNING on ArduPilot: everything sent is signed, and
   * whatever arrives without a good signature (unsigned, another key, replayed, stale) is ignored.
   */
  signingKey?: Buffer;
}
