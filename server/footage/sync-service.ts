/**
 * Sidecars and sync offsets: a sidecar is stored as evidence like its video (write-once, by SHA-256) and read in a
 * worker into the camera's track; an offset to a flight is found from the sidecar (matched to the flight's track),
 * from the camera's messages in the flight's .tlog (a recording as long as the video), or from the file's
 * creation_time, or set by a reviewer with a reason. Every offset is kept; every one is audited.
 */
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { AutoSyncSource, FlightSummary, FootagePoint, FootageSummary, FootageSync } from "../protocol";
import { runWorkerJob } from "../flights";
import type { EvidenceStore } from "./evidence-store";
import { sha256OfFile } from "./hash";
import type { SyncJob, SyncJobResult } from "./sync-worker";
import type { FootageSyncStore } from "./sync-store";
import { creationMs, syncFromCamera } from "./sync-camera";

export type SyncRefusal = { refused: true; status: number; code: string; message: string };
export const isSyncRefusal = (r: unknown): r is SyncRefusal => typeof r === "object" && r !== null && "refused" in r;

const refuse = (status: number, code: string, message: string): SyncRefusal => ({ refused: true, status, code, message });

/** creation_time this far outside the flight is not the flight's. */
const CREATION_SLACK_MS = 3_600_000;

export interface SyncServiceDeps {
  store: FootageSyncStore;
  evidence: EvidenceStore;
  /** Where a sidecar waits while it is hashed (the upload area). */
  scratchDir: string;
  derivedDir: string;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
}

function job(j: SyncJob): Promise<SyncJobResult> {
  return runWorkerJob<SyncJobResult>("footage/sync-worker", j, { name: "sync", heapMb: 512, youngMb: 16 });
}

export class FootageSyncService {
  constructor(private readonly deps: SyncServiceDeps) {}

  /** Stores `bytes` as the sidecar of `footage` (once), and its track; refused when nothing in it reads. */
  async addSidecar(footage: FootageSummary, name: string, bytes: Buffer, who: { name: string; address: string }): Promise<{ frames: number; skipped: number; problems: string[] } | SyncRefusal> {
    const exists = () => refuse(409, "sidecar_exists", `footage ${footage.id} already has its sidecar`);
    if (await this.deps.store.sidecar(footage.id)) return exists();
    if (!/\.srt$/i.test(name)) return refuse(400, "bad_request", `a sidecar is an .SRT file, not "${name}"`);
    await fs.promises.mkdir(this.deps.scratchDir, { recursive: true });
    const scratch = path.join(this.deps.scratchDir, `sidecar-${footage.id}-${process.hrtime.bigint()}`);
    await fs.promises.writeFile(scratch, bytes, { flag: "wx" });
    try {
      const read = await job({ kind: "read", srtFile: scratch });
      if (read.kind !== "read" || read.frames === 0) {
        const why = read.kind === "read" && read.problems.length > 0 ? `: ${read.problems.slice(0, 3).join("; ")}` : "";
        return refuse(422, "not_a_sidecar", `${name} holds no subtitle cue that reads${why}`);
      }
      const { sha256 } = await sha256OfFile(scratch);
      await this.deps.evidence.adopt(scratch, sha256);
      // One sidecar per footage: another request (on this server or another) may have stored one meanwhile.
      if (!await this.deps.store.addSidecar({ footageId: footage.id, sha256, name, sizeBytes: bytes.length, frames: read.frames, addedBy: who.name, addedAt: this.deps.now() })) {
        return exists();
      }
      await this.writeTrack(footage.sha256, read.points);
      this.audit(who, "footage_sidecar_added", footage.id, { sha256, name, frames: read.frames, skipped: read.skipped, video: footage.sha256 });
      return { frames: read.frames, skipped: read.skipped, problems: read.problems };
    } finally {
      await fs.promises.rm(scratch, { force: true });
    }
  }

  /** The camera's track from the sidecar, made again from the stored sidecar when the derived copy is missing. */
  async track(footage: FootageSummary): Promise<FootagePoint[]> {
    const file = path.join(this.deps.derivedDir, footage.sha256, "track.json");
    try {
      return JSON.parse(await fs.promises.readFile(file, "utf8")) as FootagePoint[];
    } catch {
      const sidecar = await this.deps.store.sidecar(footage.id);
      const srt = sidecar && await this.deps.evidence.locate(sidecar.sha256);
      if (!srt) return [];
      const read = await job({ kind: "read", srtFile: srt });
      const points = read.kind === "read" ? read.points : [];
      await this.writeTrack(footage.sha256, points);
      return points;
    }
  }

  /**
   * Finds the offset to `flight`. Without `source`: from the sidecar if there is one, else from the camera's
   * messages in the .tlog when a recording there matches the footage, else from creation_time. With `source`:
   * from that one only, refused with its reason when it finds nothing.
   */
  async auto(footage: FootageSummary, flight: FlightSummary, tlogFile: string, who: { name: string; address: string }, source?: AutoSyncSource): Promise<FootageSync | SyncRefusal> {
    const sidecar = await this.deps.store.sidecar(footage.id);
    const srt = sidecar && await this.deps.evidence.locate(sidecar.sha256);
    if (source === "srt" && !srt) return refuse(422, "no_sidecar", `footage ${footage.id} has no sidecar to sync from`);
    if (srt && (source === undefined || source === "srt")) {
      const r = await job({ kind: "match", srtFile: srt, tlogFile, vehicle: { sysid: flight.vehicle.sysid, compid: flight.vehicle.compid } });
      if (r.kind !== "match" || !r.found.ok) return refuse(422, "no_match", r.kind === "match" && !r.found.ok ? r.found.reason : "the sidecar could not be matched");
      return this.set(footage, flight, r.found.startsAt, "srt", `${r.found.detail} (${sidecar.name}, SHA-256 ${sidecar.sha256})`, null, who);
    }
    let cameraReason: string | null = null;
    if (source === undefined || source === "camera") {
      const r = await job({ kind: "camera", tlogFile, vehicle: { sysid: flight.vehicle.sysid } });
      const found = r.kind === "camera" ? syncFromCamera(r.camera, footage.probe) : { ok: false as const, reason: "the flight's camera messages could not be read" };
      if (found.ok) return this.set(footage, flight, found.startsAt, "camera", found.detail, null, who);
      if (source === "camera") return refuse(422, "no_camera_match", `flight ${flight.id}: ${found.reason}`);
      cameraReason = found.reason;
    }
    const fromCreation = this.fromCreationTime(footage, flight);
    if (isSyncRefusal(fromCreation)) {
      return cameraReason === null ? fromCreation : { ...fromCreation, message: `${fromCreation.message}; and ${cameraReason}` };
    }
    return this.set(footage, flight, fromCreation.startsAt, "creation_time", fromCreation.detail, null, who);
  }

  private fromCreationTime(footage: FootageSummary, flight: FlightSummary): { startsAt: number; detail: string } | SyncRefusal {
    const created = footage.probe.creationTime;
    if (created === null) return refuse(422, "no_time", "the file has no sidecar and no creation_time: set the offset by hand");
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(created);
    const at = creationMs(created) ?? NaN;
    const end = flight.endedAt ?? this.deps.now();
    if (!Number.isFinite(at) || at < flight.startedAt - CREATION_SLACK_MS || at > end + CREATION_SLACK_MS) {
      return refuse(422, "no_overlap", `creation_time ${created} is not within flight ${flight.id} (${new Date(flight.startedAt).toISOString()} to ${new Date(end).toISOString()})`);
    }
    const detail = `creation_time ${created} taken as the first frame's time${zoned ? "" : ", time zone assumed UTC (the file names none)"}; `
      + "cameras differ on whether it marks the start or the end of the recording: check it against the map";
    return { startsAt: at, detail };
  }

  /** A reviewer's own offset (a nudge or a correction), with the reason. */
  async manual(footage: FootageSummary, flight: FlightSummary, startsAt: number, reason: string, who: { name: string; address: string }): Promise<FootageSync | SyncRefusal> {
    const before = (await this.deps.store.current(footage.id)).find((s) => s.flightId === flight.id);
    const detail = before ? `set by hand, ${startsAt - before.startsAt >= 0 ? "+" : ""}${startsAt - before.startsAt} ms from the ${before.source} offset` : "set by hand";
    return this.set(footage, flight, startsAt, "manual", detail, reason, who);
  }

  private async set(footage: FootageSummary, flight: FlightSummary, startsAt: number, source: FootageSync["source"], detail: string, reason: string | null,
    who: { name: string; address: string }): Promise<FootageSync | SyncRefusal> {
    const added = await this.deps.store.add({ footageId: footage.id, flightId: flight.id, startsAt, source, detail, setBy: who.name, setAt: this.deps.now(), reason });
    if (!added) return refuse(409, "too_many_offsets", `footage ${footage.id} has too many offsets set`);
    this.audit(who, "footage_sync_set", footage.id, { flight: flight.id, startsAt, source, detail, reason });
    return added;
  }

  private async writeTrack(sha256: string, points: FootagePoint[]): Promise<void> {
    const dir = path.join(this.deps.derivedDir, sha256);
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.writeFile(path.join(dir, "track.json"), JSON.stringify(points));
  }

  private audit(who: { name: string; address: string }, action: AuditInput["action"], footageId: number, detail: NonNullable<AuditInput["detail"]>): void {
    this.deps.audit.record({ actor: who.name, address: who.address, action, target: `footage:${footageId}`, result: "ok", detail });
  }
}
