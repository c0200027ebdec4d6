/**
 * Footage through a running server with the real tus client: stored write-once under the SHA-256 that sha256sum
 * gives, described by ffprobe, resumed after an interruption without resending, recognised when uploaded twice,
 * refused with the reason when it is not a video (nothing left behind), and every view and download audited.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { FlightFootage, FootagePage, FootagePoint, FootageSummary, FootageSync, FootageSyncs, ItemIncidents } from "../../server/protocol";
import { readTrack } from "../../server/footage";
import { ingested, makeSrt, makeVideo, sha256sum, tusUpload } from "../helpers/footage";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

let server: RunningServer;
let reviewer: string;
let other: string;
let dataDir: string;
let video: string;

beforeAll(async () => {
  server = await startTestServer();
  dataDir = path.dirname(server.db.name);
  reviewer = await signIn(server, ["reviewer"], "rita");
  other = await signIn(server, ["reviewer"], "rob");
  video = makeVideo({ seconds: 6, creationTime: "2026-11-21T09:00:00Z", size: "640x480", bitrate: "4M" });
}, 60_000);
afterAll(async () => server?.close());

const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : []);

describe("footage uploads", () => {
  it("an upload cut at 40 % resumes where it stopped; the original is stored read-only under its sha256sum, probed and audited", async () => {
    const first = await tusUpload(server, reviewer, video, { stopAt: 0.4, chunkSize: 256 * 1024 });
    expect(first.url).toMatch(/\/api\/footage\/uploads\/[0-9a-f]{32}$/);
    // Another reviewer cannot continue (or even see) it.
    const peek = await api(server, other, new URL(first.url!, `http://127.0.0.1:${server.httpPort}`).pathname, { method: "HEAD", headers: { "tus-resumable": "1.0.0" } });
    expect(peek.status).toBe(404);
    const size = fs.statSync(video).size;
    const resumed = await tusUpload(server, reviewer, video, { resumeUrl: first.url!, chunkSize: 256 * 1024 });
    expect(resumed.firstProgress).toBeGreaterThanOrEqual(size * 0.4);
    const status = await ingested(server, reviewer, resumed.url!);
    expect(status).toMatchObject({ state: "stored", originalName: "DJI_0001.MP4", sizeBytes: size, message: null });

    const f = (await (await api(server, reviewer, `/api/footage/${status.footageId}`)).json()) as FootageSummary;
    expect(f.sha256).toBe(sha256sum(video));
    expect(f).toMatchObject({ uploadedBy: "rita", sizeBytes: size, originalName: "DJI_0001.MP4" });
    expect(f.probe).toMatchObject({ video: { codec: "h264", width: 640, height: 480, fps: 25, frames: 150 }, browserPlayable: true });
    expect(f.probe.creationTime).toMatch(/^2026-11-21T09:00:00/);
    expect(f.probe.durationS).toBeCloseTo(6, 1);
    const original = path.join(dataDir, "evidence/originals", f.sha256.slice(0, 2), f.sha256);
    expect(fs.statSync(original).mode & 0o777).toBe(0o444);
    expect(sha256sum(original)).toBe(f.sha256);
    // Nothing is left in the upload area.
    expect(files(path.join(dataDir, "uploads"))).toEqual([]);
    // The poster and strip come from ffmpeg.
    const poster = await api(server, reviewer, `/api/footage/${f.id}/poster.jpg`);
    expect(poster.status).toBe(200);
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect((await api(server, reviewer, `/api/footage/${f.id}/strip.jpg`)).status).toBe(200);
    const actions = (await server.audit.list(10_000)).map((e) => `${e.action} ${e.actor}`);
    expect(actions).toContain("footage_upload_started rita");
    expect(actions).toContain("footage_stored rita");
  }, 90_000);

  it("the same file again is recognised by its hash and linked to the stored footage, not stored twice", async () => {
    const run = await tusUpload(server, other, video, { name: "copy of DJI_0001.MP4" });
    const status = await ingested(server, other, run.url!);
    const page = (await (await api(server, reviewer, "/api/footage")).json()) as FootagePage;
    expect(page.total).toBe(1);
    expect(status).toMatchObject({ state: "duplicate", footageId: page.footage[0]!.id });
    expect(status.message).toMatch(/already stored as footage \d+ \("DJI_0001.MP4", uploaded by rita\)/);
    expect(files(path.join(dataDir, "evidence/originals"))).toHaveLength(1);
    expect(files(path.join(dataDir, "uploads"))).toEqual([]);
  }, 60_000);

  it("a file that is not a video is refused with ffprobe's reason and nothing of it stays; bad requests get a reason", async () => {
    const fake = path.join(path.dirname(video), "DJI_0002.MP4");
    fs.writeFileSync(fake, "This is a text file with a video's name.\n".repeat(1000));
    const run = await tusUpload(server, reviewer, fake);
    const status = await ingested(server, reviewer, run.url!);
    expect(status.state).toBe("refused");
    expect(status.message).toMatch(/not a video ffprobe can read/);
    expect(files(path.join(dataDir, "uploads"))).toEqual([]);
    expect(files(path.join(dataDir, "evidence/originals"))).toHaveLength(1);

    const post = (headers: Record<string, string>, cookie = reviewer) => api(server, cookie, "/api/footage/uploads", {
      method: "POST", headers: { "tus-resumable": "1.0.0", ...headers },
    });
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const noName = await post({ "upload-length": "100" });
    expect(noName.status).toBe(400);
    expect(await noName.text()).toMatch(/file name/);
    expect((await post({ "upload-length": "0", "upload-metadata": `filename ${b64("empty.mp4")}` })).status).toBe(400);
    const huge = await post({ "upload-length": String(2 ** 40), "upload-metadata": `filename ${b64("huge.mp4")}` });
    expect(huge.status).toBe(413);
    // The name is kept as text: a path in it goes nowhere.
    const traversal = await tusUpload(server, reviewer, fake, { name: "../../etc/passwd" });
    const refused = await ingested(server, reviewer, traversal.url!);
    expect(refused).toMatchObject({ state: "refused", originalName: "../../etc/passwd" });
    expect(fs.existsSync(path.join(dataDir, "etc"))).toBe(false);
    const observer = await signIn(server, ["observer"], "olly");
    expect((await post({ "upload-length": "100", "upload-metadata": `filename ${b64("a.mp4")}` }, observer)).status).toBe(403);
  }, 60_000);

  it("viewing and downloading the original are audited; a range request gets its bytes", async () => {
    const [f] = ((await (await api(server, reviewer, "/api/footage")).json()) as FootagePage).footage;
    const ranged = await api(server, reviewer, `/api/footage/${f!.id}/stream`, { headers: { range: "bytes=0-99" } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    // A player asks for many ranges of one viewing: one entry.
    await (await api(server, reviewer, `/api/footage/${f!.id}/stream`, { headers: { range: "bytes=100-199" } })).arrayBuffer();
    const download = await api(server, reviewer, `/api/footage/${f!.id}/original`);
    expect(download.headers.get("content-disposition")).toMatch(/DJI_0001\.MP4/);
    expect(download.headers.get("x-content-sha256")).toBe(f!.sha256);
    expect(Buffer.from(await download.arrayBuffer()).length).toBe(f!.sizeBytes);
    const entries = (await server.audit.list(10_000)).filter((e) => e.target === `footage:${f!.id}` && e.actor === "rita").map((e) => e.action);
    expect(entries.filter((a) => a === "footage_viewed")).toHaveLength(1);
    expect(entries.filter((a) => a === "footage_downloaded")).toHaveLength(1);
    expect((await server.audit.verify()).ok).toBe(true);
  }, 30_000);

  it("links to an incident with a reason, naming the file's hash in the audit log", async () => {
    const [f] = ((await (await api(server, reviewer, "/api/footage")).json()) as FootagePage).footage;
    const made = (await (await api(server, reviewer, "/api/incidents", { method: "POST", body: JSON.stringify({
      reference: "CAD 77/21NOV26", title: "Footage test", type: "search", location: null, start: 0, end: null, officer: "PC 1", notes: "",
    }) })).json()) as { id: number };
    const link = await api(server, reviewer, `/api/incidents/${made.id}/links`, { method: "POST", body: JSON.stringify({ kind: "footage", id: f!.id, reason: "camera of the search" }) });
    expect(link.status).toBe(201);
    expect((await api(server, reviewer, `/api/incidents/${made.id}/links`, { method: "POST", body: JSON.stringify({ kind: "footage", id: 999, reason: "x" }) })).status).toBe(404);
    const of = (await (await api(server, reviewer, `/api/footage/${f!.id}/incidents`)).json()) as ItemIncidents;
    expect(of.incidents.map((i) => [i.incident.reference, i.link.kind, i.link.reason])).toEqual([["CAD 77/21NOV26", "footage", "camera of the search"]]);
    const entry = (await server.audit.list(10_000)).find((e) => e.action === "incident_linked" && e.target === `incident:${made.id}`);
    expect(JSON.parse(entry!.detail)).toMatchObject({ footage: f!.id, sha256: f!.sha256 });
  });
});

describe("footage on a flight's clock", () => {
  it("a sidecar is stored as evidence, matched to the flight's track, and the reviewer's nudge is kept beside it", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog")))]), "copter_flight_1.tlog");
    const report = (await (await api(server, reviewer, "/api/flights/import", { method: "POST", body: form })).json()) as { flights: { id: number }[] };
    const flightId = report.flights[0]!.id;
    const track = await readTrack(path.join(FIXTURES, "copter_flight_1.tlog"), { sysid: 1, compid: 1 });
    const truth = Math.round(track[0]!.time + 100_000);
    const clip = makeVideo({ seconds: 4, creationTime: new Date(truth).toISOString(), name: "DJI_0007.MP4" });
    const stored = await ingested(server, reviewer, (await tusUpload(server, reviewer, clip)).url!);
    const id = stored.footageId!;
    const srt = makeSrt(track, { startsAt: truth, seconds: 4, fps: 25, zoneMinutes: 60 });
    const sidecar = (body: string, name = "DJI_0007.SRT") => api(server, reviewer, `/api/footage/${id}/sidecar?name=${name}`, {
      method: "POST", body, headers: { "content-type": "text/plain" },
    });
    expect((await sidecar("garbage, not subtitles")).status).toBe(422);
    const added = await sidecar(srt);
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ frames: 100, skipped: 0 });
    expect((await sidecar(srt)).status).toBe(409);
    const srtSha = createHash("sha256").update(srt).digest("hex");
    expect(fs.statSync(path.join(dataDir, "evidence/originals", srtSha.slice(0, 2), srtSha)).mode & 0o777).toBe(0o444);
    const points = (await (await api(server, reviewer, `/api/footage/${id}/track`)).json()) as FootagePoint[];
    expect(points.length).toBeGreaterThan(15);
    expect(points[0]!.lat).toBeCloseTo(51.5, 1);

    const auto = await api(server, reviewer, `/api/footage/${id}/sync/auto`, { method: "POST", body: JSON.stringify({ flightId }) });
    expect(auto.status).toBe(201);
    const found = (await auto.json()) as FootageSync;
    expect(found.source).toBe("srt");
    expect(Math.abs(found.startsAt - truth)).toBeLessThanOrEqual(40);
    expect(found.detail).toMatch(/read as UTC\+01:00/);
    const nudge = await api(server, reviewer, `/api/footage/${id}/sync`, { method: "POST", body: JSON.stringify({ flightId, startsAt: found.startsAt + 40, reason: "one frame late against the map" }) });
    expect(nudge.status).toBe(201);
    const syncs = (await (await api(server, reviewer, `/api/footage/${id}/sync`)).json()) as FootageSyncs;
    expect(syncs.current.map((s) => [s.source, s.startsAt - found.startsAt, s.reason])).toEqual([["manual", 40, "one frame late against the map"]]);
    expect(syncs.history.map((s) => s.source)).toEqual(["srt", "manual"]);
    const onFlight = (await (await api(server, reviewer, `/api/flights/${flightId}/footage`)).json()) as FlightFootage;
    expect(onFlight.footage.map((f) => [f.footage.id, f.sync.source])).toEqual([[id, "manual"]]);
    const actions = (await server.audit.list(10_000)).filter((e) => e.target === `footage:${id}`).map((e) => e.action);
    expect(actions.filter((a) => a === "footage_sync_set")).toHaveLength(2);
    expect(actions).toContain("footage_sidecar_added");
  }, 60_000);
});
