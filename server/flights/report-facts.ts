import { decodeFrame } from "../mavlink";
import type { MavMessage } from "../mavlink";
import { AIRBORNE_HEIGHT_M } from "../protocol";
import type { ReportPlace } from "../protocol";
import { tlogEntryChunks } from "./export";
import type { TrackVehicle } from "./export";
import { haversineM } from "./stats";

/** What a flight report needs from the .tlog, read in one pass (in a worker thread: see report-thread.ts). */
export interface ReportFacts {
  autopilot: string | null;
  firmware: string | null;
  /** Positions read (GLOBAL_POSITION_INT of the vehicle, 0,0 left out). */
  positions: number;
  reference: ReportPlace | null;
  takeoff: ReportPlace | null;
  landing: ReportPlace | null;
  maxHeight: (ReportPlace & { heightM: number; altAmslM: number }) | null;
  maxDistance: (ReportPlace & { distanceM: number; heightM: number }) | null;
  /** [lon, lat] thinned to at least `spacingM` apart (the map image's line; simplified further by the caller). */
  track: [number, number][];
  spacingM: number;
}

interface Position extends ReportPlace {
  altAmsl: number;
  height: number;
  armed: boolean;
}

/** Points kept for the map image before thinning harder: a few hundred KB at most, whatever the flight's length. */
const MAX_TRACK_POINTS = 20_000;
const FIRST_SPACING_M = 1;

const place = (p: Position): ReportPlace => ({ time: p.time, lat: p.lat, lon: p.lon });

/** The highest and furthest points, measured from one reference (the take-off point). */
class Extremes {
  height: Position | null = null;
  distance: { at: Position; metres: number } | null = null;

  constructor(readonly reference: Position) {}

  add(p: Position): void {
    if (this.height === null || p.height > this.height.height) this.height = p;
    const metres = haversineM(this.reference, p);
    if (this.distance === null || metres > this.distance.metres) this.distance = { at: p, metres };
  }
}

/**
 * One pass over the vehicle's packets. Heights are GLOBAL_POSITION_INT.relative_alt: above home, which ArduCopter
 * sets where it arms, i.e. the take-off point. A record that never arms is measured from its first position.
 */
export class ReportFold {
  autopilot: string | null = null;
  firmware: string | null = null;
  private armed = false;
  private positions = 0;
  private fromFirst: Extremes | null = null;
  private fromArming: Extremes | null = null;
  private takeoff: Position | null = null;
  private lastAirborne: Position | null = null;
  private landing: Position | null = null;
  private track: [number, number][] = [];
  private spacingM = FIRST_SPACING_M;
  private lastKept: Position | null = null;

  message(m: MavMessage, time: number): void {
    switch (m.kind) {
      case "heartbeat":
        if (!m.isVehicle) return;
        this.armed = m.armed;
        this.autopilot = m.autopilot;
        return;
      case "autopilotVersion":
        this.firmware = m.firmware;
        return;
      case "globalPosition":
        // 0,0 is what ArduPilot sends before it has an origin: not a place.
        if (m.lat !== 0 || m.lon !== 0) {
          this.position({ time, lat: m.lat, lon: m.lon, altAmsl: m.altAmsl, height: m.altRelative, armed: this.armed });
        }
        return;
      default:
        return;
    }
  }

  private position(p: Position): void {
    this.positions++;
    this.fromFirst ??= new Extremes(p);
    this.fromFirst.add(p);
    if (p.armed) {
      this.fromArming ??= new Extremes(p);
      this.fromArming.add(p);
    }
    this.flightPhase(p);
    this.keep(p);
  }

  /** Lift-off: the first armed position above AIRBORNE_HEIGHT_M; touch-down: the first position below it after the last airborne one. */
  private flightPhase(p: Position): void {
    if (p.armed && p.height >= AIRBORNE_HEIGHT_M) {
      this.takeoff ??= p;
      this.lastAirborne = p;
      this.landing = null;
    } else if (this.lastAirborne !== null && this.landing === null && p.height < AIRBORNE_HEIGHT_M) {
      this.landing = p;
    }
  }

  private keep(p: Position): void {
    if (this.lastKept !== null && haversineM(this.lastKept, p) < this.spacingM) return;
    this.lastKept = p;
    this.track.push([p.lon, p.lat]);
    if (this.track.length > MAX_TRACK_POINTS) {
      // A long flight: keep every other point and ask twice the spacing from now on.
      this.track = this.track.filter((_, i) => i % 2 === 0);
      this.spacingM *= 2;
    }
  }

  facts(): ReportFacts {
    const scope = this.fromArming ?? this.fromFirst;
    const height = scope?.height ?? null;
    const distance = scope?.distance ?? null;
    return {
      autopilot: this.autopilot,
      firmware: this.firmware,
      positions: this.positions,
      reference: scope ? place(scope.reference) : null,
      takeoff: this.takeoff ? place(this.takeoff) : null,
      landing: this.landing ? place(this.landing) : null,
      maxHeight: height ? { ...place(height), heightM: height.height, altAmslM: height.altAmsl } : null,
      maxDistance: distance ? { ...place(distance.at), distanceM: distance.metres, heightM: distance.at.height } : null,
      track: this.track,
      spacingM: this.spacingM,
    };
  }
}

/** Reads a .tlog (its chunks) for the report of one vehicle's flight; other systems' packets are skipped. */
export async function reportFacts(chunks: AsyncIterable<Buffer>, vehicle: TrackVehicle): Promise<ReportFacts> {
  const fold = new ReportFold();
  for await (const entries of tlogEntryChunks(chunks)) {
    for (const { frame, timeUs } of entries) {
      if (frame.sysid !== vehicle.sysid || frame.compid !== vehicle.compid) continue;
      fold.message(decodeFrame(frame).message, Math.round(timeUs / 1000));
    }
  }
  return fold.facts();
}
