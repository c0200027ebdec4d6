import type { MavMessage } from "../mavlink";
import { MSG_ID } from "../mavlink";
import type { FlightStats } from "./catalogue";
import { MessageCollector } from "./messages";

/** The only messages the statistics and the segmenter read: everything else is counted, never decoded. */
export const STATS_MSG_IDS: ReadonlySet<number> = new Set([
  MSG_ID.HEARTBEAT, MSG_ID.GLOBAL_POSITION_INT, MSG_ID.HOME_POSITION, MSG_ID.STATUSTEXT,
]);

/** "in": sent by the record's vehicle; "out": sent to it by a ground station (us, live; any, in an import). */
export type PacketDirection = "in" | "out";

/** Mean Earth radius (m), as @turf/distance uses: distances agree with the track tools. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

interface Place {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres (haversine). */
export function haversineM(a: Place, b: Place): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Folds one flight record's packets into its statistics. A pure function of the packets in the record, in order:
 * the live recorder, an import and a rebuild from the file feed it the same packets and get the same numbers.
 * Motion (distance, heights, distance from home) counts only while armed, so GPS noise on the ground before
 * take-off and after landing does not add up; the bounding box covers every position in the record.
 */
export class StatsAccumulator {
  private armed = false;
  private armedAt: number | null = null;
  private disarmedAt: number | null = null;
  private distanceM = 0;
  private maxAltRelM: number | null = null;
  private maxDistHomeM: number | null = null;
  private takeoff: Place | null = null;
  private landing: Place | null = null;
  private bbox: [number, number, number, number] | null = null;
  private packets = 0;
  private packetsIn = 0;
  private packetsOut = 0;
  private readonly messages = new MessageCollector();
  private endedAt: number | null = null;
  private last: Place | null = null;
  /** The position of the previous armed sample, for the distance flown. */
  private lastArmed: Place | null = null;
  private home: Place | null = null;
  /** Armed, but no position yet: the first one is the take-off place. */
  private takeoffPending = false;

  /** One packet of the record; `message` is its decoded content for the vehicle's own packets, else null. */
  add(time: number, message: MavMessage | null, direction: PacketDirection): void {
    this.packets++;
    if (direction === "in") this.packetsIn++;
    else this.packetsOut++;
    this.endedAt = this.endedAt === null ? time : Math.max(this.endedAt, time);
    if (message === null) return;
    switch (message.kind) {
      case "heartbeat":
        if (message.isVehicle) this.heartbeat(message.armed, time);
        break;
      case "globalPosition":
        // 0,0 is what the autopilot sends before it has a position, not a place in the Gulf of Guinea.
        if (message.lat !== 0 || message.lon !== 0) this.position({ lat: message.lat, lon: message.lon }, message.altRelative);
        break;
      case "homePosition":
        if (message.lat !== 0 || message.lon !== 0) this.home = { lat: message.lat, lon: message.lon };
        break;
      case "statusText":
        this.messages.add({ time, severity: message.severity, text: message.text });
        break;
      default:
        break;
    }
  }

  snapshot(): FlightStats {
    return {
      armedAt: this.armedAt,
      disarmedAt: this.disarmedAt,
      distanceM: this.distanceM,
      maxAltRelM: this.maxAltRelM,
      maxDistHomeM: this.maxDistHomeM,
      takeoff: this.takeoff && { ...this.takeoff },
      landing: this.landing && { ...this.landing },
      bbox: this.bbox && [...this.bbox],
      packets: this.packets,
      packetsIn: this.packetsIn,
      packetsOut: this.packetsOut,
      // A copy of the list, not of the messages: they are never changed once collected.
      messages: this.messages.list.slice(),
      messagesDropped: this.messages.dropped,
      endedAt: this.endedAt,
    };
  }

  private heartbeat(armed: boolean, time: number): void {
    if (armed === this.armed) return;
    this.armed = armed;
    if (armed) {
      // A touch-and-go (re-armed within the post-roll) is one flight: the first arming is its start.
      this.armedAt ??= time;
      this.disarmedAt = null;
      this.lastArmed = this.last;
      if (this.takeoff === null) {
        this.takeoff = this.last;
        this.takeoffPending = this.last === null;
      }
    } else {
      this.disarmedAt = time;
      this.landing = this.last;
      this.lastArmed = null;
    }
  }

  private position(p: Place, altRel: number): void {
    this.last = p;
    const b = this.bbox;
    this.bbox = b === null
      ? [p.lon, p.lat, p.lon, p.lat]
      : [Math.min(b[0], p.lon), Math.min(b[1], p.lat), Math.max(b[2], p.lon), Math.max(b[3], p.lat)];
    if (!this.armed) return;
    if (this.takeoffPending) {
      this.takeoff = p;
      this.takeoffPending = false;
    }
    if (this.lastArmed !== null) this.distanceM += haversineM(this.lastArmed, p);
    this.lastArmed = p;
    this.maxAltRelM = Math.max(this.maxAltRelM ?? altRel, altRel);
    if (this.home !== null) {
      const d = haversineM(this.home, p);
      this.maxDistHomeM = Math.max(this.maxDistHomeM ?? d, d);
    }
  }
}
