/** One upload in progress: who sends it, what was asked for, and the items received so far. */
import type { MissionItem } from "./types";

export class Upload {
  readonly items: MissionItem[] = [];
  lastRequestMs: number;
  lastReceiveMs: number;
  /** ArduPilot warns once per upload about float MISSION_ITEMs. */
  itemWarningSent = false;

  constructor(
    readonly peer: { sysid: number; compid: number },
    readonly missionType: number,
    readonly count: number,
    now: number,
  ) {
    this.lastRequestMs = now;
    this.lastReceiveMs = now;
  }

  /** The seq the vehicle is waiting for. */
  get next(): number {
    return this.items.length;
  }

  get done(): boolean {
    return this.items.length >= this.count;
  }

  accept(item: MissionItem, now: number): void {
    this.items.push(item);
    this.lastReceiveMs = now;
  }
}
