/**
 * A deterministic multi-vehicle .tlog as a ground station would have recorded it: several ArduCopters booting,
 * flying AUTO missions, landing and swapping batteries, and the ground station's own heartbeats and commands, all
 * interleaved in arrival order with the 8-byte big-endian µs timestamps. Same options, same bytes. Besides the
 * file it returns what was generated (flights, their arming times, altitudes, distances), to check an import
 * against.
 */
import { writeFile } from "node:fs/promises";
import { RawEncoder } from "../../server/mavlink";
import type { LatLon } from "../sim/geo";
import { seededRandom } from "../sim/faults";
import type { PowerSession, VehiclePlan } from "./plan";
import { kinematicsAt, planVehicle } from "./plan";
import type { GcsEvent, VehicleEvent } from "./schedule";
import { gcsEvents, vehicleEvents } from "./schedule";
import { currentDraw, telemetryFields } from "./telemetry";

export interface TlogGenOptions {
  /** Length of the recording, seconds (default one hour). */
  durationS?: number;
  vehicles?: number;
  seed?: number;
  /** Time of the first instant of the recording, µs since the epoch. */
  startUs?: number;
}

export interface GeneratedFlight {
  /** As the recording shows them: the times (ms) of the first armed and the first disarmed heartbeat. */
  armedAt: number;
  disarmedAt: number;
  cruiseAltM: number;
  maxDistHomeM: number;
  /** Horizontal path of the mission, metres. */
  pathM: number;
}

export interface GeneratedVehicle {
  sysid: number;
  compid: number;
  home: LatLon;
  /** Power-on sessions (boots); a session has at most one flight. */
  sessions: number;
  flights: GeneratedFlight[];
  packets: number;
}

export interface GeneratedTlog {
  bytes: Buffer;
  packets: number;
  startUs: number;
  durationS: number;
  vehicles: GeneratedVehicle[];
  /** Packets of the ground station (sysid 255, compid 190) in the file. */
  gcsPackets: number;
}

interface Entry {
  timeUs: number;
  bytes: Buffer;
}

/** 2026-03-14 08:00:00 UTC: a morning shift. */
export const DEFAULT_START_US = Date.UTC(2026, 2, 14, 8, 0, 0) * 1000;
const GCS = { sysid: 255, compid: 190 };
/** Radio latency of the telemetry link, seconds: a base and a jitter. Packets of one vehicle stay in order. */
const LATENCY_S = 0.012;
const JITTER_S = 0.006;

function vehiclePackets(plan: VehiclePlan, session: PowerSession, startUs: number, rnd: () => number, flights: GeneratedFlight[]): Entry[] {
  const encoder = new RawEncoder({ sysid: plan.sysid, compid: plan.compid });
  const out: Entry[] = [];
  let received = 0;
  let consumedMah = 0;
  let lastT = session.bootT;
  let yawDeg = rnd() * 360;
  let wasArmed = false;
  const missionCount = session.flight?.waypoints.length ?? 0;
  for (const e of vehicleEvents(session)) {
    const k = kinematicsAt(session, e.t, yawDeg);
    yawDeg = k.yawDeg;
    const currentA = currentDraw(k);
    consumedMah += (currentA * (e.t - lastT) * 1000) / 3600;
    lastT = e.t;
    const sentUs = startUs + Math.round(e.t * 1e6);
    const bytes = encodeVehicle(encoder, e, {
      k, sinceBoot: e.t - session.bootT, unixUs: sentUs, home: plan.home, homeAltM: plan.homeAltM, currentA, consumedMah, missionCount, rnd,
    });
    received = Math.max(received + 1, sentUs + Math.round((LATENCY_S + rnd() * JITTER_S) * 1e6));
    out.push({ timeUs: received, bytes });
    if (e.kind === "heartbeat" && k.armed !== wasArmed) {
      const f = session.flight!;
      if (k.armed) flights.push({ armedAt: Math.floor(received / 1000), disarmedAt: 0, cruiseAltM: f.cruiseAltM, maxDistHomeM: f.maxDistHomeM, pathM: f.pathM });
      else flights[flights.length - 1]!.disarmedAt = Math.floor(received / 1000);
      wasArmed = k.armed;
    }
  }
  return out;
}

type Context = Parameters<typeof telemetryFields>[1];

function encodeVehicle(encoder: RawEncoder, e: VehicleEvent, c: Context): Buffer {
  switch (e.kind) {
    case "heartbeat":
      // ArduCopter: quadrotor, ArduPilot autopilot; base mode 89 (custom mode, guided, stabilize, manual) + 128 armed.
      return encoder.encode("HEARTBEAT", { type: 2, autopilot: 3, base_mode: c.k.armed ? 217 : 89, custom_mode: c.k.mode, system_status: c.k.armed ? 4 : 3, mavlink_version: 3 });
    case "telemetry":
      return encoder.encode(e.name, telemetryFields(e.name, c));
    case "text":
      return encoder.encode("STATUSTEXT", { severity: e.severity, text: e.text });
    case "home":
      return encoder.encode("HOME_POSITION", {
        latitude: Math.round(c.home.lat * 1e7), longitude: Math.round(c.home.lon * 1e7), altitude: Math.round(c.homeAltM * 1000),
        q: [1, 0, 0, 0], time_usec: Math.round(c.sinceBoot * 1e6),
      });
    case "ack":
      return encoder.encode("COMMAND_ACK", { command: e.command, result: 0, target_system: GCS.sysid, target_component: GCS.compid });
    case "reached":
      return encoder.encode("MISSION_ITEM_REACHED", { seq: e.wp });
  }
}

function encodeGcs(encoder: RawEncoder, e: GcsEvent): Buffer {
  if (e.kind === "heartbeat") {
    return encoder.encode("HEARTBEAT", { type: 6, autopilot: 8, base_mode: 0, custom_mode: 0, system_status: 4, mavlink_version: 3 });
  }
  const [param1 = 0, param2 = 0] = e.params;
  return encoder.encode("COMMAND_LONG", { target_system: e.target, target_component: 1, command: e.command, param1, param2 });
}

export function generateTlog(options: TlogGenOptions = {}): GeneratedTlog {
  const durationS = options.durationS ?? 3600;
  const count = options.vehicles ?? 3;
  const seed = options.seed ?? 20260314;
  const startUs = options.startUs ?? DEFAULT_START_US;
  // The plan and the noise draw from separate generators, so changing a noise model keeps the same flights.
  const plans = Array.from({ length: count }, (_, i) => planVehicle(i, durationS, seededRandom(seed + 7919 * (i + 1))));
  const entries: Entry[] = [];
  const vehicles: GeneratedVehicle[] = plans.map((plan, i) => {
    const rnd = seededRandom(seed + 104729 * (i + 1));
    const flights: GeneratedFlight[] = [];
    let packets = 0;
    for (const session of plan.sessions) {
      const list = vehiclePackets(plan, session, startUs, rnd, flights);
      packets += list.length;
      for (const e of list) entries.push(e);
    }
    return { sysid: plan.sysid, compid: plan.compid, home: plan.home, sessions: plan.sessions.length, flights, packets };
  });
  const gcs = new RawEncoder(GCS);
  const ground = gcsEvents(durationS, plans);
  // The ground station stamps what it sends when it sends it.
  for (const e of ground) entries.push({ timeUs: startUs + Math.round(e.t * 1e6), bytes: encodeGcs(gcs, e) });
  // Stable: packets stamped the same µs keep their order.
  entries.sort((a, b) => a.timeUs - b.timeUs);
  return { bytes: tlogBytes(entries), packets: entries.length, startUs, durationS, vehicles, gcsPackets: ground.length };
}

function tlogBytes(entries: Entry[]): Buffer {
  let size = 0;
  for (const e of entries) size += 8 + e.bytes.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of entries) {
    // 64-bit big-endian µs, written as two words: the time is a safe integer, not a bigint.
    out.writeUInt32BE(Math.floor(e.timeUs / 2 ** 32), at);
    out.writeUInt32BE(e.timeUs % 2 ** 32, at + 4);
    at += 8 + e.bytes.copy(out, at + 8);
  }
  return out;
}

/** Generates and writes the file; the returned description leaves the bytes out. */
export async function writeGeneratedTlog(path: string, options: TlogGenOptions = {}): Promise<Omit<GeneratedTlog, "bytes"> & { sizeBytes: number }> {
  const { bytes, ...rest } = generateTlog(options);
  await writeFile(path, bytes);
  return { ...rest, sizeBytes: bytes.length };
}
