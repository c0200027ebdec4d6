// Test support (only tests import this): real recordings through the decoder, the registry and the alert rules on
// the recording's clock, ticking every 100 ms as the server does, and the comparison with a recording's
// expected_alerts (its _summary.json).
import { readFileSync } from "node:fs";
import { z } from "zod";
import { decodeFrame, readTlogFile } from "../../../server/mavlink";
import type { Frame } from "../../../server/mavlink";
import type { AlertConfig } from "../../../server/config";
import type { Alert, AlertRule, LinkEvent } from "../../../server/protocol";
import { VehicleRegistry } from "../../../server/vehicles";
import { alertHarness, TICK_MS } from "./harness";

export function fixture(name: string): string {
  return new URL(`../../fixtures/${name}`, import.meta.url).pathname;
}

export interface ReplayEntry {
  timeMs: number;
  frame: Frame;
}

export function tlogEntries(name: string): ReplayEntry[] {
  return readTlogFile(fixture(name)).entries.map((e) => ({ timeMs: e.timeUs / 1000, frame: e.frame }));
}

const TAIL_MS = 3000;

/** Every packet of `entries` through the registry into the rules, ticking as the server does. */
export async function replay(entries: readonly ReplayEntry[], config: Partial<AlertConfig> = {}) {
  const h = await alertHarness({ config });
  const links: LinkEvent[] = [];
  const registry = new VehicleRegistry({ lostAfterMs: 5000 }, {
    statusText: (e) => h.engine.statusText(e.key, e.status),
    link: (e) => {
      links.push(e);
      h.engine.link(e);
    },
    commandAck: (e) => h.engine.commandAck(e),
  });
  let nextTick = -1;
  const tickTo = (time: number) => {
    if (nextTick < 0) nextTick = time;
    while (nextTick <= time) {
      h.clock.now = nextTick;
      registry.sweep(nextTick);
      h.engine.evaluate(registry.snapshot(nextTick), nextTick);
      nextTick += TICK_MS;
    }
  };
  for (const { timeMs, frame } of entries) {
    tickTo(timeMs);
    registry.ingest(decodeFrame(frame), "tlog", frame.length, timeMs);
  }
  // A little more, so that clear holds running at the end of the recording can finish (less than the 5 s after
  // which the silent vehicle would be declared lost: the recording ended, the vehicle did not go away).
  const last = entries[entries.length - 1]?.timeMs ?? 0;
  tickTo(last + TAIL_MS);
  return { ...h, registry, links };
}

const expectedSchema = z.object({
  kind: z.string(),
  severity: z.string(),
  t_s: z.number(),
  tolerance_s: z.number(),
  text: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type ExpectedAlert = z.infer<typeof expectedSchema>;

const summarySchema = z.object({ connected_epoch: z.number(), expected_alerts: z.array(expectedSchema) });

export function summaryOf(name: string): { connectedMs: number; expected: ExpectedAlert[] } {
  const s = summarySchema.parse(JSON.parse(readFileSync(fixture(name), "utf8")));
  return { connectedMs: s.connected_epoch * 1000, expected: s.expected_alerts };
}

/** The expected kinds that our rules raise, each to the one rule that stands for it. */
export const RAISED_BY: Readonly<Record<string, AlertRule>> = {
  statustext: "statustext",
  fence_breach: "geofence_breach",
  mode_change_by_vehicle: "vehicle_mode_change",
  battery_low: "battery_low",
  battery_critical: "battery_critical",
  gps_lost: "gps_lost",
  ekf_position_lost: "ekf_unhealthy",
  command_rejected: "command_refused",
};

/** Info kinds that are the end of one of our alerts. */
export const CLEARED_BY: Readonly<Record<string, AlertRule>> = {
  fence_breach_cleared: "geofence_breach",
  gps_regained: "gps_lost",
  ekf_position_regained: "ekf_unhealthy",
};

/** Info kinds that are events on the vehicle's timeline. */
export const EVENT_OF: Readonly<Record<string, string>> = {
  armed: "armed", disarmed: "disarmed", mission_complete: "mission_complete",
};

/** One thing we did, to be matched with an expected entry: a raise, a counted repeat, a clear or a timeline event. */
export interface Occurrence {
  what: "raise" | "repeat" | "clear" | "event";
  /** The alert rule, or the event kind. */
  name: string;
  severity: string | null;
  time: number;
  /** The vehicle's text of a statustext alert (without the repeat count). */
  text: string | null;
  alertId: number | null;
}

/** What the engine emitted, as occurrences: every alert's raise, each count increase, its clear. */
export function occurrences(emitted: readonly Alert[], events: readonly { kind: string; time: number }[]): Occurrence[] {
  const out: Occurrence[] = [];
  const seen = new Map<number, Alert>();
  for (const a of emitted) {
    const before = seen.get(a.id);
    seen.set(a.id, a);
    const text = a.text.replace(/ \(seen \d+ times\)$/, "");
    if (!before) out.push({ what: "raise", name: a.rule, severity: a.severity, time: a.raisedAt, text, alertId: a.id });
    else if (a.count > before.count) out.push({ what: "repeat", name: a.rule, severity: a.severity, time: a.updatedAt, text, alertId: a.id });
    if (a.clearedAt !== null && (before === undefined || before.clearedAt === null)) {
      out.push({ what: "clear", name: a.rule, severity: a.severity, time: a.clearedAt, text, alertId: a.id });
    }
  }
  for (const e of events) out.push({ what: "event", name: e.kind, severity: null, time: e.time, text: null, alertId: null });
  return out;
}

/** ArduCopter's mode names as the summaries write them ("COPTER_MODE_GUIDED") and as we do ("GUIDED"). */
function mode(name: string | undefined): string {
  return (name ?? "").replace(/^COPTER_MODE_/, "");
}

function fits(e: ExpectedAlert, o: Occurrence, connectedMs: number): boolean {
  if (Math.abs((o.time - connectedMs) / 1000 - e.t_s) > e.tolerance_s) return false;
  const raised = RAISED_BY[e.kind];
  if (raised !== undefined) {
    if ((o.what !== "raise" && o.what !== "repeat") || o.name !== raised) return false;
    if (e.kind === "statustext") return o.text === e.text;
    if (e.kind === "mode_change_by_vehicle") return o.text?.includes(`${mode(e.from)} → ${mode(e.to)}`) ?? false;
    return true;
  }
  if (CLEARED_BY[e.kind] !== undefined) return o.what === "clear" && o.name === CLEARED_BY[e.kind];
  return o.what === "event" && o.name === EVENT_OF[e.kind];
}

/**
 * Pairs each expected entry with one occurrence of ours, in time order. Returns the expected entries left
 * unmatched, and the warning-or-worse raises of ours that match no expected entry (there must be none of either).
 */
export function compare(expected: readonly ExpectedAlert[], ours: readonly Occurrence[], connectedMs: number) {
  const used = new Set<Occurrence>();
  const pairs: [ExpectedAlert, Occurrence][] = [];
  const missing: ExpectedAlert[] = [];
  for (const e of expected) {
    const o = ours.filter((x) => !used.has(x) && fits(e, x, connectedMs))
      .sort((a, b) => Math.abs(a.time - connectedMs - e.t_s * 1000) - Math.abs(b.time - connectedMs - e.t_s * 1000))[0];
    if (o === undefined) missing.push(e);
    else {
      used.add(o);
      pairs.push([e, o]);
    }
  }
  const unexpected = ours.filter((o) => o.what === "raise" && !used.has(o) && o.severity !== null
    && ["emergency", "alert", "critical", "error", "warning"].includes(o.severity));
  return { pairs, missing, unexpected };
}
