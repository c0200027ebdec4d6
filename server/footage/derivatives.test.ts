/**
 * The derivative queue with real ffmpeg, a real evidence store and a real database (tiny test videos), on each
 * engine of the application database.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import type { AuditInput } from "../audit";
import type { DerivativeJob, FootageSummary } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { makeVideo } from "../../test/helpers/video";
import { FootageCatalogue } from "./catalogue";
import { FootageDerivativeStore } from "./derivative-store";
import { FootageDerivatives, MAX_WAITING, isDerivativeRefusal } from "./derivatives";
import { FsEvidenceStore } from "./evidence-store";
import { probeFile } from "./probe";

let service: FootageDerivatives | null = null;

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const who = { name: "rita", address: "127.0.0.1" };

/** A data directory with `video` stored as footage 1 in the database `sql`. */
async function setUp(sql: AppSql, video: string, freeBytes?: () => Promise<number>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-derivatives-"));
  const evidence = new FsEvidenceStore(path.join(dir, "evidence", "originals"));
  const probe = await probeFile(video);
  const staged = path.join(dir, "staged");
  fs.copyFileSync(video, staged);
  const sha256 = sha(staged);
  await evidence.adopt(staged, sha256);
  const catalogue = new FootageCatalogue(sql);
  await catalogue.startUpload("u1", "rita", path.basename(video), fs.statSync(video).size, Date.now());
  const { footage } = await catalogue.addFootage("u1", {
    sha256, sizeBytes: fs.statSync(video).size, originalName: path.basename(video), sidecarName: null, uploadedBy: "rita", uploadedAt: Date.now(),
    probe: probe.ok ? probe.probe : { format: "avi", durationS: 4, video: { codec: "mpeg4", width: 320, height: 240, fps: 25, frames: 100 }, audio: null,
      creationTime: null, timecode: null, location: null, device: {}, browserPlayable: false },
  });
  const audits: AuditInput[] = [];
  const store = new FootageDerivativeStore(sql);
  const scratchDir = path.join(dir, "scratch", "derivatives");
  service = new FootageDerivatives({
    store, evidence, scratchDir, audit: { record: (a) => { audits.push(a); } }, log: pino({ level: "silent" }), now: Date.now, ...(freeBytes ? { freeBytes } : {}),
  });
  return { dir, evidence, catalogue, footage, store, audits, scratchDir, service, original: await evidence.locate(sha256) };
}

async function settled(s: FootageDerivatives, job: DerivativeJob, timeoutMs = 30_000): Promise<DerivativeJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const j = s.job(job.id)!;
    if (j.state !== "waiting" && j.state !== "running") return j;
    if (Date.now() > until) throw new Error(`job still ${j.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeOnEngines("FootageDerivatives", ({ open, exec }) => {
  // Before the database closes (the helper's own afterEach, registered first, runs after this one).
  afterEach(async () => {
    await service?.stop();
    service = null;
  });

  it("makes a browser copy of an AVI: H.264 MP4, stored write-once by its hash, recorded with its command", async () => {
    const video = makeVideo({ seconds: 2, creationTime: "2026-11-21T09:00:00Z", codec: "mpeg4-avi" });
    const sql = await open();
    const t = await setUp(sql, video);
    const before = sha(t.original!);
    const job = await t.service.request(t.footage, { kind: "browser" }, "the original cannot play in a browser", who);
    if (isDerivativeRefusal(job)) throw new Error(job.message);
    const done = await settled(t.service, job);
    expect(done, done.message ?? "").toMatchObject({ state: "done", progress: 1 });
    const d = (await t.store.get(done.derivativeId!))!;
    const file = (await t.evidence.locate(d.sha256))!;
    expect(sha(file)).toBe(d.sha256);
    expect(fs.statSync(file).size).toBe(d.sizeBytes);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(d).toMatchObject({ kind: "browser", parentSha256: t.footage.sha256, requestedBy: "rita", fromS: null, toS: null });
    expect(d.probe.video.codec).toBe("h264");
    expect(d.probe.browserPlayable).toBe(true);
    expect(d.ffmpegVersion).toMatch(/^ffmpeg version /);
    expect(d.command[0]).toBe("ffmpeg");
    expect(d.command).toContain(t.original);
    // The original is untouched and nothing is left in the scratch area.
    expect(sha(t.original!)).toBe(before);
    expect(fs.readdirSync(t.scratchDir)).toEqual([]);
    expect(t.audits.map((a) => a.action)).toEqual(["footage_derivative_requested", "footage_derivative_made"]);
    expect(t.audits[1]).toMatchObject({ actor: "rita", target: `footage:${t.footage.id}`, detail: { derivative: d.id, sha256: d.sha256 } });
    // The footage now plays from its copy.
    expect((await t.catalogue.get(t.footage.id))!.playback).toEqual({ source: "browser", derivativeId: d.id });
    // A second browser copy is refused.
    expect(await t.service.request(t.footage, { kind: "browser" }, "again", who)).toMatchObject({ refused: true, status: 409, code: "already_made" });
    // The row cannot be changed or deleted.
    await expect(exec(sql, "UPDATE footage_derivatives SET reason = 'x'")).rejects.toThrow(/cannot be changed/);
    await expect(exec(sql, "DELETE FROM footage_derivatives")).rejects.toThrow(/evidence/);
  });

  it("a failing ffmpeg leaves nothing stored, and the job says why with ffmpeg's own words", async () => {
    const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-bogus-")), "not-a-video.avi");
    fs.writeFileSync(bogus, "these bytes are no video at all".repeat(100));
    const t = await setUp(await open(), bogus);
    const job = await t.service.request(t.footage, { kind: "clip", fromS: 0, toS: 1 }, "a clip", who);
    if (isDerivativeRefusal(job)) throw new Error(job.message);
    const done = await settled(t.service, job);
    expect(done.state).toBe("failed");
    expect(done.message).toMatch(/ffmpeg exited with \d+: .*(Invalid data|could not|error)/is);
    expect(await t.store.of(t.footage.id)).toEqual([]);
    expect(fs.readdirSync(t.scratchDir)).toEqual([]);
    // Only the original in the store.
    const stored = fs.readdirSync(path.join(t.dir, "evidence", "originals"), { recursive: true }).map(String).filter((f) => f.length > 60);
    expect(stored).toHaveLength(1);
    expect(t.audits.at(-1)).toMatchObject({ action: "footage_derivative_failed", result: "failed" });
  });

  it("makes nothing from an original whose bytes no longer match its SHA-256", async () => {
    const video = makeVideo({ seconds: 1, creationTime: "2026-11-21T09:00:00Z" });
    const t = await setUp(await open(), video);
    fs.chmodSync(t.original!, 0o644);
    fs.appendFileSync(t.original!, "tampered");
    const job = await t.service.request(t.footage, { kind: "browser" }, "copy", who) as DerivativeJob;
    const done = await settled(t.service, job);
    expect(done.state).toBe("failed");
    expect(done.message).toMatch(/no longer has its SHA-256/);
    expect(await t.store.of(t.footage.id)).toEqual([]);
  });

  it("refuses to start without disk room beyond the reserve", async () => {
    const video = makeVideo({ seconds: 1, creationTime: "2026-11-21T09:00:00Z" });
    const t = await setUp(await open(), video, () => Promise.resolve(1024 ** 3));
    const job = await t.service.request(t.footage, { kind: "clip", fromS: 0, toS: 0.5 }, "a clip", who) as DerivativeJob;
    const done = await settled(t.service, job);
    expect(done).toMatchObject({ state: "failed" });
    expect(done.message).toMatch(/not enough room/);
  });

  it("runs one at a time with a bounded queue, and stopping cancels the waiting and kills the running ffmpeg", { timeout: 60_000 }, async () => {
    const video = makeVideo({ seconds: 10, creationTime: "2026-11-21T09:00:00Z", size: "640x480" });
    const t = await setUp(await open(), video);
    const jobs: DerivativeJob[] = [];
    for (let i = 0; i <= MAX_WAITING; i++) {
      const j = await t.service.request(t.footage, { kind: "clip", fromS: 0, toS: 10 }, `clip ${i}`, who);
      if (isDerivativeRefusal(j)) throw new Error(j.message);
      jobs.push(j);
    }
    const over = await t.service.request(t.footage, { kind: "clip", fromS: 0, toS: 1 }, "one too many", who);
    expect(over).toMatchObject({ refused: true, status: 429, code: "queue_full" });
    expect(t.service.jobsOf(t.footage.id).filter((j) => j.state === "running").length).toBeLessThanOrEqual(1);
    // Wait until ffmpeg is really running (it has reported progress), then stop.
    const until = Date.now() + 20_000;
    while (t.service.job(jobs[0]!.id)!.progress === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(t.service.job(jobs[0]!.id)).toMatchObject({ state: "running" });
    expect(t.service.job(jobs[1]!.id)).toMatchObject({ state: "waiting", progress: 0 });
    await t.service.stop();
    const states = jobs.map((j) => t.service.job(j.id)!.state);
    expect(states.every((s) => s === "cancelled")).toBe(true);
    expect(t.service.job(jobs[0]!.id)!.message).toMatch(/cancelled/);
    expect(await t.store.of(t.footage.id)).toEqual([]);
    expect(fs.readdirSync(t.scratchDir)).toEqual([]);
    expect(await t.service.request(t.footage, { kind: "browser" }, "after stop", who)).toMatchObject({ refused: true, status: 503 });
    // No ffmpeg of ours is left running.
    const left = execFileSync("ps", ["-o", "args=", "--ppid", String(process.pid)]).toString();
    expect(left).not.toMatch(/ffmpeg/);
  });

  it("footage a browser plays as stored: the original is what plays, and it has no derivatives yet", async () => {
    const video = makeVideo({ seconds: 1, creationTime: "2026-11-21T09:00:00Z" });
    const t = await setUp(await open(), video);
    const f: FootageSummary = (await t.catalogue.get(t.footage.id))!;
    expect(f.playback).toEqual({ source: "original" });
    expect(f.derivatives).toEqual([]);
  });
});
