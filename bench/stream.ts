/**
 * A deterministic ArduCopter-like MAVLink 2 stream: several vehicles flying circles, each sending the
 * message mix and rates of a real ArduCopter asked for its streams. Same seed, same bytes.
 */
import { MavLinkProtocolV2 } from "node-mavlink";
import { common, minimal } from "mavlink-mappings";
import type { MavLinkData } from "mavlink-mappings";
import { seededRandom } from "../sitl/sim/faults";

/** Messages per second of one vehicle, as ArduCopter sends them after SET_MESSAGE_INTERVAL. */
export const RATES: [string, number][] = [
  ["ATTITUDE", 10], ["GLOBAL_POSITION_INT", 5], ["VFR_HUD", 4], ["RC_CHANNELS", 4], ["SERVO_OUTPUT_RAW", 4],
  ["GPS_RAW_INT", 2], ["SYS_STATUS", 2], ["BATTERY_STATUS", 1], ["HEARTBEAT", 1], ["STATUSTEXT", 0.2],
];

/** Packets per second of one vehicle of the stream: its clock, for benchmarks that tick at the live rate. */
export const PACKETS_PER_VEHICLE_PER_SECOND = RATES.reduce((sum, [, hz]) => sum + hz, 0);

function message(name: string, v: number, t: number, rnd: () => number): MavLinkData {
  const angle = t / 60 + v;
  const lat = 51.5074 + 0.002 * Math.sin(angle) + v * 0.01;
  const lon = -0.1278 + 0.003 * Math.cos(angle);
  const alt = 30 + 5 * Math.sin(t / 17);
  // GLOBAL_POSITION_INT's hdg (0..35999 cdeg); VFR_HUD's heading is it truncated to whole degrees, as ArduPilot sends.
  const hdgCdeg = Math.round(((angle * 180) / Math.PI % 360 + 360) % 360 * 100) % 36000;
  switch (name) {
    case "ATTITUDE": return Object.assign(new common.Attitude(), { timeBootMs: t * 1000, roll: rnd() * 0.2 - 0.1, pitch: rnd() * 0.2 - 0.1, yaw: angle % (2 * Math.PI) - Math.PI, rollspeed: rnd() * 0.01, pitchspeed: 0, yawspeed: 0.02 });
    case "GLOBAL_POSITION_INT": return Object.assign(new common.GlobalPositionInt(), { timeBootMs: t * 1000, lat: Math.round(lat * 1e7), lon: Math.round(lon * 1e7), alt: Math.round((alt + 10) * 1000), relativeAlt: Math.round(alt * 1000), vx: Math.round(500 * Math.cos(angle)), vy: Math.round(-500 * Math.sin(angle)), vz: Math.round(rnd() * 40 - 20), hdg: hdgCdeg });
    case "VFR_HUD": return Object.assign(new common.VfrHud(), { airspeed: 5 + rnd(), groundspeed: 5 + rnd(), heading: Math.floor(hdgCdeg / 100), throttle: 45, alt: alt + 10, climb: rnd() - 0.5 });
    case "RC_CHANNELS": return Object.assign(new common.RcChannels(), { timeBootMs: t * 1000, chancount: 16, chan1Raw: 1500, chan2Raw: 1500, chan3Raw: 1400 + Math.round(rnd() * 100), chan4Raw: 1500, rssi: 255 });
    case "SERVO_OUTPUT_RAW": return Object.assign(new common.ServoOutputRaw(), { timeUsec: Math.round(t * 1e6) >>> 0, port: 0, servo1Raw: 1600, servo2Raw: 1610, servo3Raw: 1590, servo4Raw: 1605 });
    case "GPS_RAW_INT": return Object.assign(new common.GpsRawInt(), { timeUsec: BigInt(Math.round(t * 1e6)), fixType: 6, lat: Math.round(lat * 1e7), lon: Math.round(lon * 1e7), alt: Math.round((alt + 10) * 1000), eph: 121, epv: 200, vel: 500, cog: 9000, satellitesVisible: 10 });
    case "SYS_STATUS": return Object.assign(new common.SysStatus(), { onboardControlSensorsPresent: 0x1235fc2f, onboardControlSensorsEnabled: 0x1235fc2f, onboardControlSensorsHealth: 0x1235fc2f, load: 200, voltageBattery: 12400 - Math.round(t), currentBattery: 1500, batteryRemaining: Math.max(0, 100 - Math.round(t / 60)), dropRateComm: 0, errorsComm: 0 });
    case "BATTERY_STATUS": return Object.assign(new common.BatteryStatus(), { id: 0, temperature: 32767, voltages: [12400 - Math.round(t), ...Array<number>(9).fill(65535)], currentBattery: 1500, currentConsumed: Math.round(t * 4), energyConsumed: -1, batteryRemaining: Math.max(0, 100 - Math.round(t / 60)) });
    case "HEARTBEAT": return Object.assign(new minimal.Heartbeat(), { type: 2, autopilot: 3, baseMode: 217, customMode: 3, systemStatus: 4, mavlinkVersion: 3 });
    case "STATUSTEXT": return Object.assign(new common.StatusText(), { severity: 6, text: `Reached command #${Math.floor(t) % 7}` });
    default: throw new Error(`no generator for ${name}`);
  }
}

export interface GeneratedStream {
  /** The stream cut into datagram-sized chunks, as a UDP link would deliver it. */
  chunks: Buffer[];
  packets: number;
  bytes: number;
  vehicles: number;
}

/** Interleaves `vehicles` vehicles' packets in time order until at least `minPackets` were made. */
export function generateStream(vehicles: number, minPackets: number, seed = 20261121): GeneratedStream {
  const rnd = seededRandom(seed);
  const protocols = Array.from({ length: vehicles }, (_, i) => new MavLinkProtocolV2(i + 1, 1));
  const seqs = new Array<number>(vehicles).fill(0);
  const due = RATES.map(() => new Array<number>(vehicles).fill(0));
  const packets: Buffer[] = [];
  const step = 0.01;
  for (let t = 0; packets.length < minPackets; t += step) {
    for (let v = 0; v < vehicles; v++) {
      for (let k = 0; k < RATES.length; k++) {
        const [name, hz] = RATES[k]!;
        const row = due[k]!;
        if (t + 1e-9 < row[v]!) continue;
        row[v] = row[v]! + 1 / hz;
        packets.push(protocols[v]!.serialize(message(name, v, t, rnd), seqs[v]!));
        seqs[v] = (seqs[v]! + 1) & 0xff;
      }
    }
  }
  const all = Buffer.concat(packets);
  // Cut at packet boundaries into ~1 KiB chunks, as datagrams of a telemetry link.
  const chunks: Buffer[] = [];
  let start = 0;
  let size = 0;
  let offset = 0;
  for (const p of packets) {
    size += p.length;
    offset += p.length;
    if (size >= 1024) {
      chunks.push(all.subarray(start, offset));
      start = offset;
      size = 0;
    }
  }
  if (offset > start) chunks.push(all.subarray(start, offset));
  return { chunks, packets: packets.length, bytes: all.length, vehicles };
}
