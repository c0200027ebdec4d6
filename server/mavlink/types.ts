/**
 * The contract of `server/mavlink/`: what the rest of the server sees of MAVLink.
 * Everything here is in SI units (degrees, metres, m/s, radians, volts, amperes); raw MAVLink units
 * (degE7, mm, cdeg, cm/s, mV, cA, bigint) never leave this folder.
 */
import type {
  GpsFix, LinkKind, LinkStatus, Severity, SystemStatus, VehicleClass,
} from "../protocol";

/** One checked MAVLink frame (v1 or v2), as it came off the wire. */
export interface Frame {
  version: 1 | 2;
  seq: number;
  sysid: number;
  compid: number;
  msgid: number;
  /** Payload as sent (v2 may be truncated: trailing zero bytes removed). A view, not a copy. */
  payload: Buffer;
  /** The whole frame, header to checksum (and signature when signed). A view, not a copy. */
  bytes: Buffer;
  signed: boolean;
}

export interface FramerCounters {
  frames: number;
  garbageBytes: number;
  crcErrors: number;
  unknownMessages: number;
}

export interface TargetIds {
  sysid: number;
  compid: number;
}

/** Decoded messages that the ground station interprets. Tagged union, SI units. */
export type MavMessage =
  | {
      kind: "heartbeat";
      mavType: number;
      vehicleClass: VehicleClass;
      /** True for GCS / onboard-computer / gimbal heartbeats etc.: not a vehicle. */
      isVehicle: boolean;
      autopilot: string;
      autopilotId: number;
      baseMode: number;
      customMode: number;
      armed: boolean;
      /** Flight mode name from the ArduCopter / ArduPlane / ArduRover tables, e.g. "GUIDED"; "MODE(n)" if unknown. */
      mode: string;
      systemStatus: SystemStatus;
    }
  | {
      kind: "globalPosition";
      lat: number; lon: number; altAmsl: number; altRelative: number;
      /** NED velocity, m/s. */
      vn: number; ve: number; vd: number;
      /** Degrees 0..360, null when the vehicle reports unknown (65535). */
      heading: number | null;
    }
  | { kind: "attitude"; roll: number; pitch: number; yaw: number; rollSpeed: number; pitchSpeed: number; yawSpeed: number }
  /** Speeds m/s, heading degrees, throttle percent 0..100, climb m/s (positive up). */
  | { kind: "vfrHud"; airSpeed: number; groundSpeed: number; heading: number; throttle: number; altAmsl: number; climb: number }
  | {
      kind: "gpsRaw";
      fix: GpsFix;
      satellites: number | null;
      hdop: number | null;
      vdop: number | null;
      lat: number; lon: number; altAmsl: number;
      groundSpeed: number | null;
      courseOverGround: number | null;
    }
  | {
      kind: "sysStatus";
      voltage: number | null;
      current: number | null;
      remaining: number | null;
      sensorsPresent: number;
      sensorsEnabled: number;
      sensorsHealth: number;
      /** MAV_SYS_STATUS_PREARM_CHECK: null when the bit is not "present", else whether it is healthy. */
      prearmOk: boolean | null;
      /** 0..1 */
      load: number;
      /** 0..1 */
      dropRateComm: number;
    }
  | {
      kind: "batteryStatus";
      id: number;
      voltage: number | null;
      current: number | null;
      consumedMah: number | null;
      remaining: number | null;
      /** Volts of the cells reported; ArduPilot puts the pack voltage in cell 0 when it does not measure cells. */
      cellVoltages: number[];
    }
  | { kind: "statusText"; severity: Severity; text: string }
  | { kind: "homePosition"; lat: number; lon: number; altAmsl: number }
  | { kind: "missionCurrent"; seq: number; total: number | null; missionState: number | null }
  | { kind: "missionItemReached"; seq: number }
  | { kind: "ekfStatus"; flags: number; healthy: boolean }
  | { kind: "autopilotVersion"; firmware: string }
  | {
      kind: "commandAck"; command: number; result: number; resultName: string;
      /** Percent done (0..100) of an IN_PROGRESS command; null when the vehicle says unknown (255). */
      progress: number | null;
    }
  /** A valid frame of a message the ground station does not interpret (kept for records and counters). */
  | { kind: "other"; name: string };

export type MavMessageKind = MavMessage["kind"];

/** A decoded frame: who sent it, what it was. */
export interface Decoded {
  sysid: number;
  compid: number;
  seq: number;
  msgid: number;
  message: MavMessage;
}

/** Messages the ground station sends. The encoder fills sysid/compid/seq. */
export type OutgoingMessage =
  | { kind: "gcsHeartbeat" }
  | {
      kind: "commandLong";
      target: TargetIds;
      command: number;
      confirmation?: number;
      params: [number, number, number, number, number, number, number];
    }
  | {
      /**
       * COMMAND_INT (current and autocontinue 0; no confirmation field: a retry is sent as is).
       * x/y in degrees (encoded as degE7), z in metres in `frame` (MAV_FRAME).
       */
      kind: "commandInt";
      target: TargetIds;
      command: number;
      frame: number;
      params: [number, number, number, number];
      x: number;
      y: number;
      z: number;
    }
  | { kind: "requestDataStream"; target: TargetIds; streamId: number; rateHz: number; start: boolean };

/** Where a frame came from on a link: a UDP sender "udp:1.2.3.4:5", a TCP connection "tcp:1.2.3.4:5", "serial". */
export type PeerId = string;

export interface LinkEvents {
  /** A checked frame, with the server receive time (ms since epoch). */
  frame: (frame: Frame, peer: PeerId, time: number) => void;
  /**
   * A peer appeared (TCP connected, first checked frame of a UDP sender, serial port opened): ask for streams
   * again. A UDP sender is no peer until it sent a frame with a good checksum, so a spoofed datagram gets
   * nothing back.
   */
  peerConnected: (peer: PeerId) => void;
  peerDisconnected: (peer: PeerId, reason: string) => void;
  /** Connection state changed (connecting/open/closed/error). */
  status: (status: LinkStatus) => void;
}

export interface MavLink {
  readonly id: string;
  readonly url: string;
  readonly kind: LinkKind;
  /** Binds / listens / opens. For tcpout and serial it resolves at once and keeps (re)connecting with backoff. */
  start(): Promise<void>;
  /**
   * Sends one encoded packet to every peer of the link (udpin: every sender that sent a checked frame and was
   * heard within the peer timeout, 30 s by default).
   */
  send(packet: Buffer): void;
  /**
   * Sends one encoded packet to that peer only (e.g. greeting a peer that just connected without repeating it
   * to the others). Does nothing for a peer the link does not have now. On tcpout, udpout and serial the one
   * peer is the one announced by peerConnected.
   */
  sendTo(peer: PeerId, packet: Buffer): void;
  close(): Promise<void>;
  status(): LinkStatus;
  on<E extends keyof LinkEvents>(event: E, listener: LinkEvents[E]): void;
  off<E extends keyof LinkEvents>(event: E, listener: LinkEvents[E]): void;
  /** Address actually bound (udpin/tcpin with port 0), for tests and logs. */
  localAddress(): { host: string; port: number } | null;
  /** Counts a frame that passed the checksum but would not decode (the consumer decodes, the link counts). */
  countDecodeError(): void;
  /** Counts a frame the consumer dropped for its MAVLink signature (unsigned, forged, replayed, stale, no key). */
  countSignatureRejected(): void;
}
