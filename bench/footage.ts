/**
 * Footage upload and hashing against a running server (its own process, as `npm start` runs it) while a vehicle is
 * connected over UDP, measured in one run on one generated file (a valid MP4 padded to --size with a `free` box):
 *  - upload: tus-js-client in this process sending 64 MiB PATCHes over loopback, first byte to last, MB/s;
 *  - ingest: from the last byte to "stored" (SHA-256 in the server's worker thread and ffprobe at once, then the
 *    link into the evidence store and the poster and strip), MB/s;
 *  - `sha256sum` on the same file, for scale (the same file is in the page cache for both);
 *  - the server's peak RSS over idle, and the longest gap between ground-station HEARTBEATs the vehicle received;
 *  - then the evidence bundle of an incident holding that footage: the export job (copy through the libuv pool and
 *    SHA-256 of the copy in a worker), and its download as a .zip (stored, CRC-32 on the event loop) read to the end
 *    by this process, MB/s each, with the heartbeat gap over both.
 * Usage: npm run bench:footage [-- --size 4GiB]   (Linux: reads /proc)
 */
import { spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tus from "tus-js-client";
import { createReadStream } from "node:fs";
import type { FootageSummary, FootageUploadStatus } from "../server/protocol";
import { freeUdpPort } from "../test/helpers/ports";
import { makeLargeVideo, sha256sum } from "../test/helpers/video";
import { MiB, PASSWORD, ROOT, arg, memoryOf, sizeOf, startServer, vehicle } from "./import-load";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function upload(base: string, cookie: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const u: tus.Upload = new tus.Upload(createReadStream(file), {
      endpoint: `${base}/api/footage/uploads`, headers: { cookie, origin: base }, uploadSize: statSync(file).size,
      metadata: { filename: path.basename(file), filetype: "video/mp4" }, chunkSize: 64 * MiB, retryDelays: [],
      onSuccess: () => resolve(u.url!), onError: reject,
    });
    u.start();
  });
}

/** Export job then zip download of an incident holding the footage, with the heartbeat gap over both. */
async function bundleStages(base: string, cookie: string, footageId: number, size: number, udpPort: number, pid: number): Promise<void> {
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${base}${url}`, { method: "POST", headers: { cookie, origin: base, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: number | string; state?: string; result?: { name: string } | null; message?: string | null }>;
  };
  const incident = await post("/api/incidents", { reference: "BENCH 1/26", title: "Bench", type: "other", location: null, start: Date.now() - 3_600_000, end: null, officer: "bench", notes: "" });
  await post(`/api/incidents/${incident.id}/links`, { kind: "footage", id: footageId, reason: "bench" });
  const v = vehicle(udpPort);
  await sleep(2000);
  let peak = memoryOf(pid).rss;
  const sampler = setInterval(() => { peak = Math.max(peak, memoryOf(pid).rss); }, 50);
  const t0 = performance.now();
  let job = await post(`/api/incidents/${incident.id}/export`, {});
  while (job.state === "waiting" || job.state === "building") {
    await sleep(50);
    job = (await (await fetch(`${base}/api/exports/jobs/${job.id}`, { headers: { cookie } })).json()) as typeof job;
  }
  const t1 = performance.now();
  if (job.state !== "done" || !job.result) throw new Error(`bundle not made: ${job.message ?? job.state}`);
  const res = await fetch(`${base}/api/exports/${job.result.name}/download`, { headers: { cookie } });
  let zipBytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) zipBytes += chunk.length;
  const t2 = performance.now();
  clearInterval(sampler);
  const gap = v.maxGap(t0, t2);
  v.close();
  const expected = Number(res.headers.get("content-length"));
  const mbps = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  console.log(`  bundle export ${((t1 - t0) / 1000).toFixed(1)} s (${mbps(size, t1 - t0)}: copy + SHA-256 of the copy); zip download ${((t2 - t1) / 1000).toFixed(1)} s (${mbps(zipBytes, t2 - t1)}, ${zipBytes === expected ? "length as announced" : `LENGTH ${zipBytes} vs ${expected}`})`);
  console.log(`  server RSS peak ${(peak / MiB).toFixed(0)} MiB; longest gap between ground-station HEARTBEATs ${gap.toFixed(0)} ms`);
}

async function run(sizeBytes: number): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "dmc-bench-footage-"));
  let server: ChildProcess | null = null;
  try {
    const t0 = performance.now();
    const file = makeLargeVideo(sizeBytes);
    const size = statSync(file).size;
    console.log(`generated ${(size / MiB).toFixed(0)} MiB MP4 (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const dataDir = path.join(work, "data");
    const add = spawnSync(process.execPath, ["--import", "tsx", "server/cli/user.ts", "add", "bench", "--role", "reviewer", "--data-dir", dataDir],
      { cwd: ROOT, input: `${PASSWORD}\n`, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "" } });
    if (add.status !== 0) throw new Error(`could not create the reviewer: ${add.stderr}${add.stdout}`);
    const udpPort = await freeUdpPort();
    const started = await startServer(dataDir, udpPort);
    server = started.child;
    const pid = server.pid!;
    const base = `http://127.0.0.1:${started.port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "bench", password: PASSWORD }) });
    const cookie = /dmc_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
    if (!cookie) throw new Error(`login failed: ${login.status}`);
    const v = vehicle(udpPort);
    await sleep(3000);
    const idle = memoryOf(pid).rss;
    let peak = idle;
    const sampler = setInterval(() => { peak = Math.max(peak, memoryOf(pid).rss); }, 50);

    const t1 = performance.now();
    const url = await upload(base, cookie, file);
    const t2 = performance.now();
    let status: FootageUploadStatus;
    for (;;) {
      status = (await (await fetch(`${base}/api/footage/ingest/${url.split("/").pop()}`, { headers: { cookie } })).json()) as FootageUploadStatus;
      if (status.state !== "uploading" && status.state !== "processing") break;
      await sleep(50);
    }
    const t3 = performance.now();
    clearInterval(sampler);
    const gap = v.maxGap(t1, t3);
    v.close();
    if (status.state !== "stored") throw new Error(`not stored: ${status.state} ${status.message ?? ""}`);
    const stored = (await (await fetch(`${base}/api/footage/${status.footageId}`, { headers: { cookie } })).json()) as FootageSummary;
    const t4 = performance.now();
    const sum = sha256sum(file);
    const t5 = performance.now();
    const mbps = (ms: number) => `${(size / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`footage of ${(size / MiB).toFixed(0)} MiB through tus into a server process (node ${process.version}, ${os.cpus().length} cores):`);
    console.log(`  upload ${s(t2 - t1)} (${mbps(t2 - t1)}); ingest after the last byte ${s(t3 - t2)} (${mbps(t3 - t2)}: SHA-256 in a worker, ffprobe, store, poster)`);
    console.log(`  sha256sum on the same file ${s(t5 - t4)} (${mbps(t5 - t4)}); hashes ${stored.sha256 === sum ? "equal" : `DIFFER: ${stored.sha256} vs ${sum}`}`);
    console.log(`  server RSS idle ${(idle / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB; longest gap between ground-station HEARTBEATs ${gap.toFixed(0)} ms`);
    await rm(file, { force: true });
    await bundleStages(base, cookie, status.footageId!, size, udpPort, pid);
  } finally {
    server?.kill("SIGTERM");
    if (server && server.exitCode === null) await new Promise((r) => server!.once("exit", r));
    await rm(work, { recursive: true, force: true });
  }
}

run(sizeOf(arg("--size") ?? "4GiB")).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
