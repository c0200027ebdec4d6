/** What a caller of the command client gives it: the vehicle to address, the command, how long to try. */
import type { VehicleClass } from "../protocol";
import type { Decoded, OutgoingMessage } from "../mavlink";
import type { CommandClock } from "./commands-clock";

/** Where a vehicle is: the link to send on and its MAVLink ids. */
export interface CommandTarget {
  linkId: string;
  sysid: number;
  compid: number;
  /** Used by setMode to number modes; else the class of the vehicle's last heartbeat seen by this client. */
  vehicleClass?: VehicleClass;
}

export type CommandRequest =
  | { kind: "long"; command: number; /** param1..param7, missing ones 0. */ params?: readonly number[] }
  | {
      kind: "int"; command: number; /** param1..param4, missing ones 0. */ params?: readonly number[];
      /** MAV_FRAME; 0 (GLOBAL) unless given. */ frame?: number;
      /** Degrees. */ x?: number; y?: number;
      /** Metres. */ z?: number;
    };

export interface SendOptions {
  /** Per try. Default 1500 ms. */
  timeoutMs?: number;
  /** Retransmissions after the first try. Default 3 (4 tries). */
  retries?: number;
  /** Called on each IN_PROGRESS ack: percent done, or null when the vehicle does not know. */
  onProgress?: (progress: number | null) => void;
}

export interface CommandClientDeps {
  /** GroundStation.sendOn. */
  send(linkId: string, messages: OutgoingMessage[]): void;
  /** GroundStation.onMessage: every decoded message from the vehicles; returns the removal. */
  onMessage(listener: (decoded: Decoded, linkId: string, time: number) => void): () => void;
  /** Real timers unless given. */
  clock?: CommandClock;
}

export const COMMAND_DEFAULTS = Object.freeze({
  timeoutMs: 1500,
  retries: 3,
  /** How long after an accepted setMode / arm / disarm the heartbeat must show the change. */
  confirmMs: 3000,
  /** After an IN_PROGRESS ack: how long without any further ack before giving up. */
  progressTimeoutMs: 30_000,
  /** After a refusal: how long to gather the STATUSTEXTs that explain it (they may follow the ack). */
  refusalTextsMs: 250,
});
