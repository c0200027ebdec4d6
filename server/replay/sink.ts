import type {
  Alert, LinkEvent, ReplayState, Snapshot, StatusTextEvent, VehicleEvent, WholeVehicleFrame, VehicleMissionInfo,
} from "../protocol";

/** Where a session's events go (one Socket.IO connection on the "/replay" namespace). */
export interface ReplaySink {
  snapshot(s: Snapshot): void;
  frame(f: WholeVehicleFrame): void;
  statusText(e: StatusTextEvent): void;
  link(e: LinkEvent): void;
  event(e: VehicleEvent): void;
  alert(a: Alert): void;
  /** What a vehicle holds from now on, as its recorded mission transfers show. */
  mission(m: VehicleMissionInfo): void;
  state(s: ReplayState): void;
  /** The session stopped on its own (its file became unreadable). */
  closed?(reason: string): void;
}
