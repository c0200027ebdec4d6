/**
 * Reads a flight's entries into the review charts' series (protocol/charts.ts): positions, battery, GPS, link
 * loss from the vehicle's sequence numbers, radio signal, vibration and EKF test ratios, each downsampled as read.
 */
import { MSG_ID, decodeChartFrame, decodeFrame } from "../mavlink";
import type { ChartMessage, Frame } from "../mavlink";
import { CHART_MAX_POINTS } from "../protocol";
import type { ChartSeries, ChartSeriesName } from "../protocol";
import { MinMaxBuckets } from "./chart-buckets";

export interface ChartVehicle {
  sysid: number;
  compid: number;
}

/** What a fold gives: the series (times in ms after t0) and how many of the vehicle's entries it read. */
export interface ChartFoldResult {
  t0: number;
  series: Partial<Record<ChartSeriesName, ChartSeries>>;
  entries: number;
}

/** Window of the packet loss figure. */
const LOSS_WINDOW_MS = 1000;
/**
 * A sequence jump of half the counter or more is a packet seen twice or out of order (two links, a reordering
 * router), not a loss: a real loss that long is a link gap, which the timeline shows by itself.
 */
const MAX_COUNTED_GAP = 128;

/** Decoded only for these: every other frame of the vehicle costs a map lookup. */
const DECODED = new Set<number>([MSG_ID.GLOBAL_POSITION_INT, MSG_ID.SYS_STATUS, MSG_ID.GPS_RAW_INT]);

/** Packets received and lost (from sequence gaps) per second of file time. */
class LossWindow {
  private lastSeq: number | null = null;
  private start: number | null = null;
  private received = 0;
  private lost = 0;

  constructor(private readonly emit: (t: number, percent: number) => void) {}

  add(t: number, seq: number): void {
    if (this.start === null) this.start = t;
    while (t >= this.start + LOSS_WINDOW_MS) this.flush();
    if (this.lastSeq !== null) {
      const gap = (seq - this.lastSeq - 1 + 256) % 256;
      if (gap < MAX_COUNTED_GAP) this.lost += gap;
    }
    this.lastSeq = seq;
    this.received++;
  }

  finish(): void {
    if (this.start !== null && this.received + this.lost > 0) this.flush();
  }

  private flush(): void {
    const start = this.start!;
    const total = this.received + this.lost;
    // A silent second is a link gap, not a second of loss: it has no figure.
    if (total > 0) this.emit(start + LOSS_WINDOW_MS / 2, (100 * this.lost) / total);
    this.received = 0;
    this.lost = 0;
    this.start = start + LOSS_WINDOW_MS;
  }
}

export class ChartFold {
  private readonly buckets = new Map<ChartSeriesName, MinMaxBuckets>();
  private readonly loss = new LossWindow((t, p) => this.add("packetLoss", t, p));
  private t0: number | null = null;
  private entries = 0;

  /**
   * `window`: the flight's span (UTC ms); an entry stamped far outside it is damage (a clock jump, a corrupt
   * timestamp) and would stretch every chart, so it is left out.
   */
  constructor(private readonly vehicle: ChartVehicle, private readonly window: { from: number; to: number }) {}

  push(timeUs: number, frame: Frame): void {
    const time = timeUs / 1000;
    if (time < this.window.from || time > this.window.to) return;
    // RADIO_STATUS comes from the radio, not the autopilot: its ids are the radio's.
    const chart = decodeChartFrame(frame);
    if (chart?.kind === "radioStatus") {
      this.add("rssi", time, chart.rssi);
      this.add("remRssi", time, chart.remRssi);
      return;
    }
    if (frame.sysid !== this.vehicle.sysid || frame.compid !== this.vehicle.compid) return;
    this.t0 ??= time;
    this.entries++;
    this.loss.add(time, frame.seq);
    if (chart !== null) this.chart(time, chart);
    else if (DECODED.has(frame.msgid)) this.decoded(time, frame);
  }

  finish(): ChartFoldResult {
    this.loss.finish();
    const series: Partial<Record<ChartSeriesName, ChartSeries>> = {};
    for (const [name, b] of this.buckets) {
      const s = b.result();
      if (s) series[name] = s;
    }
    return { t0: Math.round(this.t0 ?? this.window.from), series, entries: this.entries };
  }

  private chart(time: number, m: ChartMessage): void {
    switch (m.kind) {
      case "vibration":
        this.add("vibeX", time, m.x);
        this.add("vibeY", time, m.y);
        this.add("vibeZ", time, m.z);
        this.add("clipping", time, m.clipping);
        return;
      case "ekfVariances":
        this.add("ekfVelocity", time, m.velocity);
        this.add("ekfPosHoriz", time, m.posHoriz);
        this.add("ekfPosVert", time, m.posVert);
        this.add("ekfCompass", time, m.compass);
        this.add("ekfTerrain", time, m.terrainAlt);
        return;
      case "radioStatus":
        return;
    }
  }

  private decoded(time: number, frame: Frame): void {
    const m = decodeFrame(frame).message;
    switch (m.kind) {
      case "globalPosition":
        // 0,0 is what ArduPilot sends before it has an origin: its altitudes mean nothing either.
        if (m.lat === 0 && m.lon === 0) return;
        this.add("altRelative", time, m.altRelative);
        this.add("altAmsl", time, m.altAmsl);
        this.add("groundSpeed", time, Math.hypot(m.vn, m.ve));
        this.add("climb", time, -m.vd);
        return;
      case "sysStatus":
        // 0 V is a battery monitor not reporting yet (as at boot), not a reading: it would stretch the axis to 0.
        this.add("voltage", time, m.voltage === 0 ? null : m.voltage);
        this.add("current", time, m.current);
        this.add("remaining", time, m.remaining);
        return;
      case "gpsRaw":
        this.add("satellites", time, m.satellites);
        this.add("hdop", time, m.hdop);
        return;
      default:
        return;
    }
  }

  private add(name: ChartSeriesName, time: number, value: number | null): void {
    if (value === null) return;
    this.t0 ??= time;
    let b = this.buckets.get(name);
    if (!b) {
      b = new MinMaxBuckets(CHART_MAX_POINTS / 2);
      this.buckets.set(name, b);
    }
    b.add(time - this.t0, value);
  }
}
