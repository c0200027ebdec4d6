/**
 * Footage derivatives from a running server with Debian's ffmpeg: an MPEG-4 Part 2 AVI (no browser plays it) is
 * uploaded with tus; its browser copy is made by itself (H.264 MP4, timing unchanged); a reviewer cuts a clip whose
 * first frame is the original's frame at the clip's start; bad ranges are refused with the reason; pilots and the
 * control room are refused; each step is audited; a bundle carries the derivatives and verify-bundle checks them.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../server/audit";
import { verifyBundle } from "../../server/custody";
import type { RunningServer } from "../../server/main";
import type { DerivativeJob, FootageDerivative, FootageDerivativeList, FootageSummary } from "../../server/protocol";
import { ingested, makeVideo, sha256sum, tusUpload } from "../helpers/footage";
import { api, signIn, startTestServer, waitFor } from "../helpers/server";

const FPS = 25;
const FRAME_S = 1 / FPS;
let server: RunningServer;
let reviewer: string;
let video: string;
let footageId: number;
let browserCopy: FootageDerivative;
let clip: FootageDerivative;
let clipFile: string;

const post = (cookie: string, url: string, body: unknown) => api(server, cookie, url, { method: "POST", body: JSON.stringify(body) });
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

interface Probed { start: number; duration: number; codec: string; pixFmt: string; audio: string | null; firstPts: number; frames: number }

/** ffprobe's own reading of a file: format start and duration, the video stream, its first frame's time. */
function probe(file: string): Probed {
  const j = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file]).toString()) as {
    format: { start_time: string; duration: string };
    streams: { codec_type: string; codec_name: string; pix_fmt?: string; duration?: string }[];
  };
  const v = j.streams.find((s) => s.codec_type === "video")!;
  // A frame the decoder flushes at the end of an AVI with B-frames has no time ("N/A"): counted, not timed.
  const frames = (JSON.parse(execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time", "-of", "json", file])
    .toString()) as { frames: { best_effort_timestamp_time?: string }[] }).frames.map((f) => Number(f.best_effort_timestamp_time ?? NaN));
  return {
    start: Number(j.format.start_time), duration: Number(j.format.duration), codec: v.codec_name, pixFmt: v.pix_fmt ?? "",
    audio: j.streams.find((s) => s.codec_type === "audio")?.codec_name ?? null, firstPts: Math.min(...frames.filter(Number.isFinite)), frames: frames.length,
  };
}

/** Decoded frames of `file` as small grey pictures, with `vf` choosing which. */
function grey(file: string, vf: string, frames?: number): Buffer[] {
  const size = 160 * 120;
  const raw = execFileSync("ffmpeg", ["-v", "error", "-i", file, "-vf", `${vf}scale=160:120,format=gray`, "-fps_mode", "passthrough",
    ...(frames ? ["-frames:v", String(frames)] : []), "-f", "rawvideo", "-"], { maxBuffer: 64 * 1024 * 1024 });
  return Array.from({ length: raw.length / size }, (_, i) => raw.subarray(i * size, (i + 1) * size));
}

const difference = (a: Buffer, b: Buffer) => a.reduce((n, x, i) => n + Math.abs(x - b[i]!), 0) / a.length;

async function list(): Promise<FootageDerivativeList> {
  return (await (await api(server, reviewer, `/api/footage/${footageId}/derivatives`)).json()) as FootageDerivativeList;
}

async function download(d: FootageDerivative): Promise<string> {
  const res = await api(server, reviewer, `/api/footage/derivatives/${d.id}/download`);
  expect(res.status).toBe(200);
  expect(res.headers.get("x-content-sha256")).toBe(d.sha256);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-derivative-")), `d${d.id}.mp4`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function audit(action: string): Promise<AuditEntry[]> {
  return (await server.audit.range(1, 1_000_000)).filter((e) => e.action === action && e.target === `footage:${footageId}`);
}

beforeAll(async () => {
  server = await startTestServer();
  reviewer = await signIn(server, ["reviewer"], "rita");
  video = makeVideo({ seconds: 6, creationTime: "2026-11-21T09:00:00Z", codec: "mpeg4-avi", audio: true, fps: FPS, name: "DJI_0007.AVI" });
  const status = await ingested(server, reviewer, (await tusUpload(server, reviewer, video)).url!);
  expect(status.state, status.message ?? "").toBe("stored");
  footageId = status.footageId!;
}, 60_000);
afterAll(async () => server?.close());

describe("footage derivatives", () => {
  it("makes a browser copy of an original no browser plays, by itself: H.264 MP4 of the same timing, its hash its file's", async () => {
    const f = (await (await api(server, reviewer, `/api/footage/${footageId}`)).json()) as FootageSummary;
    expect(f.probe.browserPlayable).toBe(false);
    const made = await waitFor("the browser copy", async () => (await list()).derivatives.find((d) => d.kind === "browser"), 60_000);
    browserCopy = made;
    expect(made).toMatchObject({ footageId, parentSha256: f.sha256, requestedBy: "system", reason: "the original cannot play in a browser", fromS: null, toS: null });
    expect(made.ffmpegVersion).toBe(execFileSync("ffmpeg", ["-version"]).toString().split("\n")[0]);
    expect(made.command.slice(0, 1)).toEqual(["ffmpeg"]);
    const file = await download(made);
    expect(sha256sum(file)).toBe(made.sha256);
    expect(fs.statSync(file).size).toBe(made.sizeBytes);
    const copy = probe(file);
    const original = probe(video);
    expect(copy).toMatchObject({ codec: "h264", pixFmt: "yuv420p", audio: "aac", start: 0 });
    // Timing unchanged: the same first frame time and frame count as the original, the same length within a frame.
    expect(copy.firstPts).toBeCloseTo(original.firstPts, 6);
    expect(copy.frames).toBe(original.frames);
    expect(Math.abs(copy.duration - original.duration)).toBeLessThanOrEqual(FRAME_S + 1e-6);
    // The original as uploaded, byte for byte; the footage now plays from the copy.
    const orig = await api(server, reviewer, `/api/footage/${footageId}/original`);
    expect(sha(Buffer.from(await orig.arrayBuffer()))).toBe(sha256sum(video));
    const after = (await (await api(server, reviewer, `/api/footage/${footageId}`)).json()) as FootageSummary;
    expect(after.playback).toEqual({ source: "browser", derivativeId: made.id });
    expect(after.derivatives?.map((d) => d.id)).toEqual([made.id]);
    expect((await audit("footage_derivative_requested"))[0]).toMatchObject({ actor: "system", result: "ok" });
    expect(JSON.parse((await audit("footage_derivative_made"))[0]!.detail)).toMatchObject({ derivative: made.id, sha256: made.sha256, kind: "browser" });
  }, 90_000);

  it("cuts a clip of [2, 5] s: 3 s long within a frame, starting at the original's frame at 2 s", async () => {
    const res = await post(reviewer, `/api/footage/${footageId}/derivatives`, { kind: "clip", from: 2, to: 5, reason: "the suspect crossing the road" });
    expect(res.status).toBe(202);
    const job = (await res.json()) as DerivativeJob;
    expect(job).toMatchObject({ kind: "clip", fromS: 2, toS: 5, requestedBy: "rita" });
    const done = await waitFor("the clip", async () => (await list()).jobs.find((j) => j.id === job.id && j.state !== "waiting" && j.state !== "running"), 60_000);
    expect(done, done.message ?? "").toMatchObject({ state: "done", progress: 1 });
    clip = (await list()).derivatives.find((d) => d.id === done.derivativeId)!;
    expect(clip).toMatchObject({ kind: "clip", fromS: 2, toS: 5, reason: "the suspect crossing the road", requestedBy: "rita" });
    clipFile = await download(clip);
    expect(sha256sum(clipFile)).toBe(clip.sha256);
    const p = probe(clipFile);
    expect(p).toMatchObject({ codec: "h264", start: 0, firstPts: 0 });
    expect(Math.abs(p.duration - 3)).toBeLessThanOrEqual(FRAME_S + 1e-6);
    expect(Math.abs(p.frames - 3 * FPS)).toBeLessThanOrEqual(1);
    // The clip's first picture is the original's frame at 2.00 s, not its neighbour on either side.
    const first = grey(clipFile, "", 1)[0]!;
    const around = grey(video, `select='between(t\\,${2 - 1.5 * FRAME_S}\\,${2 + 1.5 * FRAME_S})',`);
    expect(around).toHaveLength(3);
    const d = around.map((frame) => difference(first, frame));
    expect(d[1], `differences to the frames at 1.96, 2.00, 2.04 s: ${d.join(", ")}`).toBeLessThan(Math.min(d[0]!, d[2]!));
  }, 90_000);

  it("refuses bad requests with the reason", async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: "clip", from: 5, to: 2, reason: "r" }, /end after it starts/],
      [{ kind: "clip", from: 3, to: 3, reason: "r" }, /end after it starts/],
      [{ kind: "clip", from: 2, to: 60, reason: "r" }, /after the footage's end/],
      [{ kind: "clip", from: -1, to: 2, reason: "r" }, /from/],
      [{ kind: "clip", from: 2, reason: "r" }, /needs from and to/],
      [{ kind: "browser", from: 1, reason: "r" }, /whole file/],
      [{ kind: "clip", from: 0, to: 1, reason: " " }, /reason/],
      [{ kind: "redaction", reason: "r" }, /kind/],
      [{ kind: "clip", from: 0, to: 1, reason: "r", extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [body, why] of cases) {
      const res = await post(reviewer, `/api/footage/${footageId}/derivatives`, body);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(answer.error.message, JSON.stringify(body)).toMatch(why);
    }
    expect((await post(reviewer, "/api/footage/999999/derivatives", { kind: "browser", reason: "r" })).status).toBe(404);
    const again = await post(reviewer, `/api/footage/${footageId}/derivatives`, { kind: "browser", reason: "r" });
    expect(again.status).toBe(409);
    expect((await api(server, reviewer, "/api/footage/derivatives/999999/stream")).status).toBe(404);
    expect((await api(server, reviewer, "/api/footage/derivatives/x/stream")).status).toBe(400);
  });

  it("streams a derivative with Range requests, audited as a view of the footage", async () => {
    const res = await api(server, reviewer, `/api/footage/derivatives/${clip.id}/stream`, { headers: { range: "bytes=0-99" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 0-99/${clip.sizeBytes}`);
    expect(res.headers.get("content-type")).toMatch(/video\/mp4/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(fs.readFileSync(clipFile).subarray(0, 100));
    const viewed = (await audit("footage_viewed")).map((e) => JSON.parse(e.detail) as { derivative?: number; sha256: string });
    expect(viewed).toContainEqual(expect.objectContaining({ derivative: clip.id, sha256: clip.sha256 }));
    const downloaded = (await audit("footage_downloaded")).map((e) => JSON.parse(e.detail) as { derivative?: number });
    expect(downloaded).toContainEqual(expect.objectContaining({ derivative: browserCopy.id }));
  });

  it("is not for pilots or the control room (403)", async () => {
    for (const role of ["pilot", "observer"] as const) {
      const cookie = await signIn(server, [role]);
      const answers = await Promise.all([
        post(cookie, `/api/footage/${footageId}/derivatives`, { kind: "clip", from: 0, to: 1, reason: "r" }),
        api(server, cookie, `/api/footage/${footageId}/derivatives`),
        api(server, cookie, `/api/footage/derivatives/${clip.id}/stream`),
        api(server, cookie, `/api/footage/derivatives/${clip.id}/download`),
      ]);
      expect(answers.map((r) => r.status), role).toEqual([403, 403, 403, 403]);
    }
  });

  it("goes into the incident's bundle with its record; verify checks it, and names it when a byte of it is flipped", async () => {
    const incident = ((await (await post(reviewer, "/api/incidents", {
      reference: "CAD 4242/21NOV26", title: "Theft from a van, Borough", type: "crime_scene", location: null, start: Date.UTC(2026, 10, 21, 8), end: null,
      officer: "DC Ames 4242", notes: "",
    })).json()) as { id: number }).id;
    expect((await post(reviewer, `/api/incidents/${incident}/links`, { kind: "footage", id: footageId, reason: "the camera saw it" })).status).toBe(201);
    let job = (await (await post(reviewer, `/api/incidents/${incident}/export`, {})).json()) as { id: string; state: string; result: { name: string } | null; message: string | null };
    while (job.state === "waiting" || job.state === "building") {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await api(server, reviewer, `/api/exports/jobs/${job.id}`)).json()) as typeof job;
    }
    expect(job.state, job.message ?? "").toBe("done");
    const bundle = path.join(path.dirname(server.db.name), "exports", job.result!.name);
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, "manifest.json"), "utf8")) as {
      footage: { id: number; sha256: string; derivatives: { id: number; file: string; sha256: string; parentSha256: string; command: string[]; ffmpegVersion: string }[] }[];
    };
    const entry = manifest.footage.find((f) => f.id === footageId)!;
    expect(entry.derivatives.map((d) => d.id).sort()).toEqual([browserCopy.id, clip.id].sort());
    for (const d of entry.derivatives) {
      expect(d.parentSha256).toBe(entry.sha256);
      expect(d.command[0]).toBe("ffmpeg");
      expect(d.ffmpegVersion).toMatch(/^ffmpeg version/);
      expect(sha256sum(path.join(bundle, d.file))).toBe(d.sha256);
    }
    expect(fs.readFileSync(path.join(bundle, "README.txt"), "utf8")).toContain("a clip of 2 s to 5 s");
    const ok = await verifyBundle(bundle);
    expect(ok.failed).toEqual([]);
    expect(ok.passed.some((l) => l.startsWith(`derivative ${clip.id} (clip) of footage ${footageId}`))).toBe(true);

    const damaged = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-bundle-"));
    fs.cpSync(bundle, damaged, { recursive: true });
    const rel = entry.derivatives.find((d) => d.id === clip.id)!.file;
    const file = path.join(damaged, rel);
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    const bad = await verifyBundle(damaged);
    expect(bad.ok).toBe(false);
    expect(bad.failed.some((l) => l.startsWith(`${rel}: SHA-256 is`))).toBe(true);
    expect(bad.failed.join("\n")).toContain(`derivative ${clip.id} (clip) of footage ${footageId}: ${rel}`);
    fs.rmSync(damaged, { recursive: true, force: true });
  }, 90_000);
});
