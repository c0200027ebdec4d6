/**
 * A disk that fills up during a footage upload, on a running server with the real tus client. Two ways in: the
 * server's view of free space stood in for (a full disk needs root or fills the machine), and a real ENOSPC from the
 * kernel (the upload's file swapped for /dev/full). The PATCH that would eat into the reserve, or whose write fails,
 * is refused with 507 and its reason, nothing half-stored becomes footage, an alert goes to every screen, and once
 * there is room the alert ends and the same upload resumes from where it stopped, its SHA-256 the file's.
 */
import fs from "node:fs";
import path from "node:path";
import * as tus from "tus-js-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { Alert, FootagePage, FootageSummary } from "../../server/protocol";
import { ingested, makeLargeVideo, sha256sum } from "../helpers/footage";
import { api, openSocket, signIn, startTestServer, onLiveEvent } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";

const GiB = 1024 ** 3;
const SIZE = 8 * 1024 * 1024;
const CHUNK = 512 * 1024;
let free = 500 * GiB;
let server: RunningServer;
let reviewer: string;
let socket: LiveSocket;
const alerts: Alert[] = [];
let video = "";

beforeAll(async () => {
  server = await startTestServer({}, { evidence: { freeBytes: () => Promise.resolve(free), evidenceSweep: { startDelayMs: 3_600_000 } } });
  reviewer = await signIn(server, ["reviewer"], "rita");
  const admin = await signIn(server, ["admin"], "ada");
  socket = openSocket(server.httpPort, admin);
  onLiveEvent(socket, "alert", (a) => alerts.push(a));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  video = makeLargeVideo(SIZE);
}, 60_000);
afterAll(async () => {
  socket?.close();
  await server?.close();
});

async function until<T>(what: string, get: () => T | undefined | null, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== null) return v;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * One tus run; `onChunk` sees the bytes the server has accepted after each PATCH, `onCreated` the new upload's id
 * before its first PATCH.
 */
function run(opts: { resumeUrl?: string; onChunk?: (accepted: number) => void; onCreated?: (id: string) => void }): Promise<{ url: string | null; error: tus.DetailedError | null; started: number | null }> {
  return new Promise((resolve) => {
    let started: number | null = null;
    const upload: tus.Upload = new tus.Upload(fs.createReadStream(video), {
      endpoint: `http://127.0.0.1:${server.httpPort}/api/footage/uploads`,
      ...(opts.resumeUrl ? { uploadUrl: opts.resumeUrl } : {}),
      headers: { cookie: reviewer, origin: `http://127.0.0.1:${server.httpPort}` },
      metadata: { filename: path.basename(video), filetype: "video/mp4" },
      uploadSize: fs.statSync(video).size,
      chunkSize: CHUNK,
      retryDelays: [],
      onProgress: (sent) => { started ??= sent; },
      onChunkComplete: (_chunk, accepted) => opts.onChunk?.(accepted),
      onAfterResponse: (req, res) => {
        if (req.getMethod() === "POST" && res.getStatus() === 201) opts.onCreated?.(res.getHeader("location")!.split("/").pop()!);
      },
      onSuccess: () => resolve({ url: upload.url, error: null, started }),
      onError: (err) => resolve({ url: upload.url, error: err as tus.DetailedError, started }),
    });
    upload.start();
  });
}

describe("disk full during a footage upload", () => {
  it("refuses the next PATCH with 507 and a reason, keeps the bytes, alerts, and resumes once there is room", async () => {
    // 40 % in, the disk fills up (someone copied a drive onto the server): 1 GiB left, under the 2 GiB reserve.
    const first = await run({ onChunk: (accepted) => { if (accepted >= SIZE * 0.4) free = GiB; } });
    expect(first.error).not.toBeNull();
    const response = first.error!.originalResponse;
    expect(response?.getStatus()).toBe(507);
    expect(response?.getBody()).toMatch(/not enough room on the server to continue .*the bytes received so far are kept and the upload can resume/);
    const id = first.url!.split("/").pop()!;

    // The bytes received stay in the upload area, at the offset the server reports; nothing became footage.
    const head = await api(server, reviewer, `/api/footage/uploads/${id}`, { method: "HEAD", headers: { "tus-resumable": "1.0.0" } });
    const offset = Number(head.headers.get("upload-offset"));
    expect(offset).toBeGreaterThanOrEqual(SIZE * 0.4);
    expect(offset).toBeLessThan(SIZE);
    expect(fs.statSync(path.join(path.dirname(server.db.name), "uploads", id)).size).toBe(offset);
    expect((await (await api(server, reviewer, `/api/footage/ingest/${id}`)).json())).toMatchObject({ state: "uploading" });
    expect(((await (await api(server, reviewer, "/api/footage")).json()) as FootagePage).total).toBe(0);

    // Every screen hears of it: the ground station's own critical alert, saying what happens to the uploads.
    const raised = await until("the storage alert", () => alerts.find((a) => a.rule === "storage_low"));
    expect(raised).toMatchObject({ key: "0:0", severity: "critical", clearedAt: null });
    expect(raised.text).toMatch(/Disk full for footage: uploads are refused .*resume when room is made/);

    // Trying again while the disk is still full: refused again, one alert still.
    const again = await run({ resumeUrl: first.url! });
    expect(again.error?.originalResponse?.getStatus()).toBe(507);
    expect(new Set(alerts.filter((a) => a.rule === "storage_low").map((a) => a.id))).toEqual(new Set([raised.id]));

    // Room is made: the next PATCH goes through, the alert ends, the upload continues from its offset and completes.
    free = 500 * GiB;
    const resumed = await run({ resumeUrl: first.url! });
    expect(resumed.error).toBeNull();
    expect(resumed.started).toBeGreaterThanOrEqual(offset);
    const cleared = await until("the alert's end", () => alerts.find((a) => a.rule === "storage_low" && a.clearedAt !== null));
    expect(cleared.id).toBe(raised.id);
    const status = await ingested(server, reviewer, first.url!);
    expect(status.state).toBe("stored");
    const stored = (await (await api(server, reviewer, `/api/footage/${status.footageId}`)).json()) as FootageSummary;
    expect(stored.sha256).toBe(sha256sum(video));
    expect(stored.sizeBytes).toBe(SIZE);
  }, 60_000);

  it("a new upload is refused at once while the disk is down to its reserve", async () => {
    free = GiB;
    const seen = alerts.length;
    const refused = await run({});
    expect(refused.error?.originalResponse?.getStatus()).toBe(507);
    expect(refused.error?.originalResponse?.getBody()).toMatch(/not enough room on the server for DJI_0100\.MP4/);
    await until("a new storage alert", () => alerts.slice(seen).find((a) => a.rule === "storage_low" && a.clearedAt === null));
    free = 500 * GiB;
  }, 30_000);

  it("a write the kernel refuses with ENOSPC is a 507 with the reason; the upload resumes once the disk takes bytes again", async () => {
    // The upload's file in the upload area swapped for /dev/full just after its creation: every write to it fails
    // with a real ENOSPC from the kernel, as on a full disk.
    const uploads = path.join(path.dirname(server.db.name), "uploads");
    const seen = alerts.length;
    let id = "";
    const other = makeLargeVideo(SIZE + 4096);
    video = other;
    const first = await run({
      onCreated: (created) => {
        id = created;
        fs.rmSync(path.join(uploads, id));
        fs.symlinkSync("/dev/full", path.join(uploads, id));
      },
    });
    expect(first.error?.originalResponse?.getStatus()).toBe(507);
    expect(first.error?.originalResponse?.getBody()).toMatch(/^the server's disk is full: the bytes received so far are kept and the upload can resume when there is room/);
    const raised = await until("the storage alert", () => alerts.slice(seen).find((a) => a.rule === "storage_low" && a.clearedAt === null));
    expect(raised.text).toMatch(/the disk filled up while an upload was being written/);
    expect((await (await api(server, reviewer, `/api/footage/ingest/${id}`)).json())).toMatchObject({ state: "uploading" });

    // Room again: a plain file in its place, the upload resumes from what the server holds (nothing), and completes.
    fs.rmSync(path.join(uploads, id));
    fs.writeFileSync(path.join(uploads, id), "");
    const resumed = await run({ resumeUrl: first.url! });
    expect(resumed.error).toBeNull();
    await until("the alert's end", () => alerts.find((a) => a.id === raised.id && a.clearedAt !== null));
    const status = await ingested(server, reviewer, first.url!);
    expect(status.state).toBe("stored");
    expect(((await (await api(server, reviewer, `/api/footage/${status.footageId}`)).json()) as FootageSummary).sha256).toBe(sha256sum(other));
  }, 60_000);
});
