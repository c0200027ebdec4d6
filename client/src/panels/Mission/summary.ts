/** The words the panel shows: counts, sync state, transfer progress and results. Pure, so they are tested as text. */
import type { CommandReply, Mission, MissionProgressEvent, MissionUploadReply, Result, VehicleMissionInfo } from "../../../../server/protocol";
import { formatClock } from "../../format";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function countsText(m: Mission): string {
  const zones = m.fence.polygons.length + m.fence.circles.length;
  return `${plural(m.items.length, "mission item")}, ${plural(zones, "fence zone")}, ${plural(m.rally.length, "rally point")}`;
}

/** Whether the draft is what the vehicle has, and since when and from whom. */
export function syncText(verified: VehicleMissionInfo | null, inSync: boolean): string {
  if (!verified?.plan || !inSync) return "Not on the vehicle yet";
  const when = formatClock(verified.verifiedAt);
  if (verified.source === "upload" && verified.by) return `On the vehicle, verified ${when} by ${verified.by}`;
  return verified.source === "download" ? `On the vehicle, verified ${when} (read from it)` : `On the vehicle, verified ${when}`;
}

/** A second line when the vehicle is known to hold something else than the draft. */
export function vehiclePlanText(verified: VehicleMissionInfo | null, inSync: boolean): string | null {
  if (!verified?.plan || inSync) return null;
  return `The vehicle has a different plan: ${countsText(verified.plan)} (verified ${formatClock(verified.verifiedAt)})`;
}

const VERB = { upload: "Uploading", download: "Downloading", clear: "Clearing" } as const;
const NOUN = { upload: "Upload", download: "Download", clear: "Clear" } as const;
const LIST = { mission: "mission", fence: "fence", rally: "rally points" } as const;

export function progressText(e: MissionProgressEvent): string {
  switch (e.stage) {
    case "transfer": return `${VERB[e.direction]} ${LIST[e.missionType]}: ${e.done} of ${e.total}`;
    case "verifying": return `Verifying ${LIST[e.missionType]}: ${e.done} of ${e.total}`;
    case "done": return `${NOUN[e.direction]} done`;
    case "failed": return `${NOUN[e.direction]} failed${e.message ? `: ${e.message}` : ""}`;
  }
}

/** 0..100 for the progress bar; a transfer of nothing is complete. */
export function progressPercent(e: MissionProgressEvent): number {
  if (e.stage === "done") return 100;
  return e.total > 0 ? Math.round((Math.min(e.done, e.total) / e.total) * 100) : 100;
}

export function uploadText(r: MissionUploadReply): string {
  const c = r.counts;
  return `Uploaded and verified at ${formatClock(r.verifiedAt)}: ${plural(c.mission, "mission item")}, ${plural(c.fence, "fence item")}, ${plural(c.rally, "rally point")}`;
}

export function startText(r: CommandReply): string {
  return ["Mission started", r.text, ...r.vehicleTexts].filter(Boolean).join(" · ");
}

/** "Upload failed: <the server's message>" or the success text. */
export function resultText<T>(what: string, r: Result<T>, success: (v: T) => string): { ok: boolean; text: string } {
  return r.ok ? { ok: true, text: success(r.value) } : { ok: false, text: `${what} failed: ${r.error.message}` };
}
