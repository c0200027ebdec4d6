/**
 * The contract of `server/mavlink/`: what the rest of the server sees of MAVLink.
 * Everything here is in SI units (degrees, metres, m/s, radians, volts, amperes); raw MAVLink units
 * (degE7, mm, cdeg, cm/s, mV, cA, bigint) never leave this folder.
 */
import type {
  BatteryChargeState, GpsFix, LinkKind, LinkStatus, Severity, SystemStatus, VehicleClass,
} from "../protocol";

/**
 * One checked MAVLink frame (v1 or v2), as it came off the wire: where it lies in the buffer it arrived in (shared
 * with the frames around it, never written to). Decoders read the payload in place (see fields.ts' PayloadView);
 * `payload` and `bytes` are views made on first use, for code that wants a Buffer of its own. Not a plain object: a
 * spread copies neither view and keeps the buffer; a frame kept past its event is copied with copyFrame.
 */
export interface Frame {
  readonly version: 1 | 2;
  readonly seq: number;
  readonly sysid: number;
  readonly compid: number;
  readonly msgid: number;
  readonly signed: boolean;
  /** The buffer the frame lies in. */
  readonly buf: Buffer;
  /** Where the frame starts in `buf`, and its length: header to checksum (and signature when signed). */
  readonly start: number;
  readonly length: number;
  /** Where the payload starts in `buf`, and its length as sent (v2 may be truncated: trailing zero bytes removed). */
  readonly payloadStart: number;
  readonly payloadLength: number;
  /** The payload as sent. A view, not a copy. */
  readonly payload: Buffer;
  /** The whole frame. A view, not a copy. */
  readonly bytes: Buffer;
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
      /** Sensors present and enabled but not healthy, by MAV_SYS_STATUS_SENSOR name without prefix ("BATTERY", "GEOFENCE"). */
      unhealthy: string[];
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
      /** charge_state: ArduPilot's own verdict from its BATT_* thresholds; null when not reported (0, UNDEFINED). */
      chargeState: BatteryChargeState | null;
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
  /** MISSION_COUNT: the vehicle's answer to MISSION_REQUEST_LIST. `missionType` is MAV_MISSION_TYPE (0 mission, 1 fence, 2 rally). */
  | { kind: "missionCount"; target: TargetIds; count: number; missionType: number }
  /**
   * MISSION_REQUEST_INT (`int` true) or the deprecated MISSION_REQUEST (40, `int` false, what ArduPilot sends during
   * uploads): either asks for item `seq`, and either is answered with MISSION_ITEM_INT.
   */
  | { kind: "missionRequest"; target: TargetIds; seq: number; missionType: number; int: boolean }
  /** MISSION_ITEM_INT (`int` true) or the float MISSION_ITEM (39), in the units of MissionItemFields. */
  | ({ kind: "missionItem"; target: TargetIds; seq: number; missionType: number; int: boolean } & MissionItemFields)
  /** MISSION_ACK: `result` is MAV_MISSION_RESULT, `resultName` its name ("NO_SPACE"). */
  | { kind: "missionAck"; target: TargetIds; result: number; resultName: string; missionType: number }
  /**
   * FENCE_STATUS. breachStatus: 0 inside the fence, 1 outside; breachType: FENCE_BREACH (0 none, 1 minimum altitude,
   * 2 maximum altitude, 3 boundary); breachTime: seconds since the vehicle booted, of the last breach.
   */
  | { kind: "fenceStatus"; breachStatus: number; breachCount: number; breachType: number; breachTime: number }
  /** A valid frame of a message the ground station does not interpret (kept for records and counters). */
  | { kind: "other"; name: string };

/**
 * One item of a vehicle's mission, fence or rally list as MAVLink carries it, in SI units: for global frames
 * (0, 3, 5, 6, 10, 11) x/y are latitude/longitude in degrees (degE7 on the wire of MISSION_ITEM_INT); for local
 * frames (1, 4, 7-9) metres (x 1e4 on the wire); in any other frame (2 = MISSION) x/y are the plain numbers
 * param5/param6. z is metres (or param7). params are param1..param4, NaN meaning "unset".
 */
export interface MissionItemFields {
  frame: number;
  command: number;
  current: number;
  autocontinue: number;
  params: [number, number, number, number];
  x: number;
  y: number;
  z: number;
}

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
  | { kind: "requestDataStream"; target: TargetIds; streamId: number; rateHz: number; start: boolean }
  /** Mission protocol; missionType is MAV_MISSION_TYPE (0 mission, 1 fence, 2 rally, 255 all for clear). */
  | { kind: "missionCount"; target: TargetIds; count: number; missionType: number }
  | ({ kind: "missionItemInt"; target: TargetIds; seq: number; missionType: number } & MissionItemFields)
  | { kind: "missionRequestList"; target: TargetIds; missionType: number }
  | { kind: "missionRequestInt"; target: TargetIds; seq: number; missionType: number }
  | { kind: "missionClearAll"; target: TargetIds; missionType: number }
  /** MISSION_SET_CURRENT has no mission_type: it always means the mission list. */
  | { kind: "missionSetCurrent"; target: TargetIds; seq: number }
  /** `result`: MAV_MISSION_RESULT. */
  | { kind: "missionAck"; target: TargetIds; result: number; missionType: number };

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
  /**
   * The consumer vouches for a peer (it hosts an admitted vehicle: true) or no more (false). A link whose peer
   * table is bounded (udpin) keeps vouched peers and makes room for new senders among the others.
   */
  retainPeer?(peer: PeerId, retained: boolean): void;
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
