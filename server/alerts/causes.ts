import type { StatusText, VehicleState } from "../protocol";
import { parseFailsafeText } from "./failsafe";
import { ekfPositionLost } from "./flight";

/** What can make ArduCopter take the vehicle over (its failsafes, its fence, a crash). */
export type CauseKind = "battery" | "gcs" | "radio" | "ekf" | "fence" | "terrain" | "crash" | "gps" | "other";

export const CAUSE_LABEL: Readonly<Record<CauseKind, string>> = {
  battery: "Battery failsafe",
  gcs: "GCS failsafe",
  radio: "Radio failsafe",
  ekf: "EKF failsafe",
  fence: "Fence breach",
  terrain: "Terrain failsafe",
  crash: "Crash detected",
  gps: "GPS lost",
  other: "Failsafe",
};

/** The word ArduCopter puts before "Failsafe" in its texts ("Battery Failsafe", "GCS Failsafe - ..."). */
const TEXT_KINDS: Readonly<Record<string, CauseKind>> = {
  battery: "battery", gcs: "gcs", radio: "radio", throttle: "radio", ekf: "ekf", terrain: "terrain", fence: "fence",
};

/** SYS_STATUS sensors whose loss of health is a failsafe's trigger. */
const SENSOR_KINDS: Readonly<Record<string, CauseKind>> = {
  BATTERY: "battery", RC_RECEIVER: "radio", GEOFENCE: "fence", TERRAIN: "terrain",
};

const MAX_ENTRIES = 16;

interface Entry {
  kind: CauseKind;
  detail: string;
  first: number;
  last: number;
}

/** The evidence of a cause in a vehicle's text, or null. */
export function causeOfText(text: string): { kind: CauseKind; detail: string } | null {
  const t = text.trim();
  const failsafe = parseFailsafeText(t);
  if (failsafe) {
    if (failsafe.cleared) return null;
    return { kind: TEXT_KINDS[failsafe.kind.split(" ")[0] ?? ""] ?? "other", detail: `"${t}"` };
  }
  if (/fence breach(ed)?\b/i.test(t) && !/cleared/i.test(t)) return { kind: "fence", detail: `"${t}"` };
  if (/^crash\b/i.test(t)) return { kind: "crash", detail: `"${t}"` };
  if (/^ekf variance/i.test(t)) return { kind: "ekf", detail: `"${t}"` };
  return null;
}

/** What the vehicle's state says now: each a condition that can trigger a failsafe. */
function stateEvidence(v: VehicleState, hadEkfPosition: boolean): { kind: CauseKind; detail: string }[] {
  const out: { kind: CauseKind; detail: string }[] = [];
  if (v.fence?.breached) out.push({ kind: "fence", detail: `FENCE_STATUS breach (${v.fence.breachType.replace("_", " ")})` });
  const charge = v.batteryState;
  if (charge === "low" || charge === "critical" || charge === "emergency" || charge === "failed") out.push({ kind: "battery", detail: `battery ${charge.toUpperCase()}` });
  for (const name of v.sensorsUnhealthy ?? []) {
    const kind = SENSOR_KINDS[name];
    if (kind) out.push({ kind, detail: `${name} unhealthy` });
  }
  if (hadEkfPosition && ekfPositionLost(v.ekfFlags)) out.push({ kind: "ekf", detail: "EKF position lost" });
  return out;
}

/**
 * Recent evidence of why a vehicle might take itself over, from its texts and its state, each with when it was
 * first and last seen. Bounded: the oldest entries go first.
 */
export class CauseLog {
  private readonly entries = new Map<string, Entry>();

  text(status: StatusText): void {
    const cause = causeOfText(status.text);
    if (cause) this.note(cause.kind, cause.detail, status.time);
  }

  state(v: VehicleState, hadEkfPosition: boolean, time: number): void {
    for (const e of stateEvidence(v, hadEkfPosition)) this.note(e.kind, e.detail, time);
  }

  /** Evidence seen between `from` and `to`, texts first (they name the failsafe), then in order of onset. */
  between(from: number, to: number): { kind: CauseKind; detail: string }[] {
    return [...this.entries.values()]
      .filter((e) => e.last >= from && e.first <= to)
      .sort((a, b) => Number(b.detail.startsWith('"')) - Number(a.detail.startsWith('"')) || a.first - b.first)
      .map(({ kind, detail }) => ({ kind, detail }));
  }

  /** Forgets evidence last seen before `before`. */
  prune(before: number): void {
    for (const [key, e] of this.entries) if (e.last < before) this.entries.delete(key);
  }

  private note(kind: CauseKind, detail: string, time: number): void {
    const key = `${kind}|${detail}`;
    const entry = this.entries.get(key);
    if (entry) {
      entry.last = time;
      return;
    }
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = [...this.entries.entries()].sort((a, b) => a[1].last - b[1].last)[0];
      if (oldest) this.entries.delete(oldest[0]);
    }
    this.entries.set(key, { kind, detail, first: time, last: time });
  }
}
