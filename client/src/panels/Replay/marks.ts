import type { ReplayFlight, ReplayMark, ReplayMarkKind, VehicleKey } from "../../../../server/protocol";
import { severityTone, type Tone } from "../../components";

export interface Span {
  start: number;
  end: number;
}

/** A mark placed on its vehicle's lane, in percent of the timeline's width. */
export interface PlacedMark {
  /** Stable within one layout, for React keys. */
  id: string;
  kind: ReplayMarkKind;
  /** Where a click seeks: the (first) mark's time. */
  time: number;
  left: number;
  /** Ranges only. */
  width?: number;
  tone: Tone;
  uncommanded: boolean;
  /** Hover text; several marks drawn as one list all their texts. */
  text: string;
  count: number;
}

export interface Lane {
  vehicle: VehicleKey;
  /** Where the vehicle's flights exist on the session clock, in percent. */
  present: { left: number; width: number }[];
  marks: PlacedMark[];
}

/** Point marks of one kind closer than this (percent of the width) are drawn as one: thousands of DOM nodes help nobody. */
export const MERGE_GAP_PERCENT = 0.4;
/** A range is at least this wide, so a 1 s link gap in a 2 h session can still be seen and hovered. */
export const MIN_RANGE_PERCENT = 0.3;
/** A merged mark lists this many texts, then "and N more". */
const MAX_TEXTS = 6;

export function percentOf(time: number, span: Span): number {
  const width = span.end - span.start;
  if (width <= 0) return 0;
  return Math.min(100, Math.max(0, ((time - span.start) / width) * 100));
}

/** The session time at a fraction (0..1) of the timeline's width. */
export function timeAtFraction(fraction: number, span: Span): number {
  const f = Math.min(1, Math.max(0, fraction));
  return Math.round(span.start + f * (span.end - span.start));
}

const KIND_TONE: Record<ReplayMarkKind, Tone> = {
  armed: "info", disarmed: "neutral", takeoff: "ok", landing: "ok", mode: "info", alert: "danger", message: "neutral",
  mission_item: "ok", link_gap: "caution", bookmark: "info", damaged: "danger",
};

/** Messages and alerts take their severity's colour; an uncommanded mode change is always a warning colour. */
export function markTone(mark: ReplayMark): Tone {
  if (mark.kind === "mode" && mark.uncommanded) return "caution";
  if ((mark.kind === "message" || mark.kind === "alert") && mark.severity) return severityTone(mark.severity);
  return KIND_TONE[mark.kind];
}

function place(mark: ReplayMark, span: Span, index: number): PlacedMark {
  const left = percentOf(mark.time, span);
  const ranged = mark.end !== undefined && mark.end > mark.time;
  return {
    id: `${mark.vehicle}-${index}`,
    kind: mark.kind,
    time: mark.time,
    left,
    ...(ranged ? { width: Math.max(MIN_RANGE_PERCENT, percentOf(mark.end ?? mark.time, span) - left) } : {}),
    tone: markTone(mark),
    uncommanded: mark.kind === "mode" && mark.uncommanded === true,
    text: mark.text,
    count: 1,
  };
}

const TONE_RANK: Record<Tone, number> = { danger: 5, error: 4, caution: 3, info: 2, ok: 1, neutral: 0 };

function merge(into: PlacedMark, next: PlacedMark): void {
  into.count += 1;
  if (into.count <= MAX_TEXTS) into.text += `\n${next.text}`;
  else if (into.count === MAX_TEXTS + 1) into.text += "\n…";
  if (TONE_RANK[next.tone] > TONE_RANK[into.tone]) into.tone = next.tone;
  into.uncommanded ||= next.uncommanded;
}

/**
 * One lane per vehicle, in the order of the session's flights. Uncommanded mode changes are never merged into
 * commanded ones (they must stand out), and ranges are never merged at all.
 */
export function layoutLanes(flights: readonly ReplayFlight[], marks: readonly ReplayMark[], span: Span): Lane[] {
  const lanes = new Map<VehicleKey, Lane>();
  for (const f of flights) {
    const lane = lanes.get(f.vehicle) ?? { vehicle: f.vehicle, present: [], marks: [] };
    const left = percentOf(f.startedAt + f.shiftMs, span);
    lane.present.push({ left, width: Math.max(0, percentOf(f.endedAt + f.shiftMs, span) - left) });
    lanes.set(f.vehicle, lane);
  }
  const lastPoint = new Map<string, PlacedMark>();
  marks.forEach((mark, i) => {
    const lane = lanes.get(mark.vehicle);
    if (!lane) return;
    const placed = place(mark, span, i);
    if (placed.width !== undefined) {
      lane.marks.push(placed);
      return;
    }
    const group = `${mark.vehicle}|${mark.kind}|${placed.uncommanded}`;
    const last = lastPoint.get(group);
    if (last && placed.left - last.left < MERGE_GAP_PERCENT) return merge(last, placed);
    lastPoint.set(group, placed);
    lane.marks.push(placed);
  });
  return [...lanes.values()];
}

/** Hover text of a mark: its texts, with how many were drawn as one. */
export function markTitle(mark: PlacedMark): string {
  return mark.count > 1 ? `${mark.count} marks\n${mark.text}` : mark.text;
}
