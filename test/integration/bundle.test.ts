/**
 * The prosecutor's bundle of an incident, from a running server: originals copied and checked against their seals,
 * the custody log and its stretch of the signed audit chain; `sha256sum -c` accepts it, `npm run verify-bundle`
 * passes it, and fails it after one byte is flipped in any file, after a custody row is edited or deleted, and
 * after the chain is rewritten to hide it. A stored original changed on disk is refused at export.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryHash } from "../../server/audit";
import type { AuditEntry } from "../../server/audit";
import { verifyBundle } from "../../server/custody";
import type { BundleList, ExportJob } from "../../server/protocol";
import type { RunningServer } from "../../server/main";
import { readTrack } from "../../server/footage";
import { ingested, makeSrt, makeVideo, tusUpload } from "../helpers/footage";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

let server: RunningServer;
let reviewer: string;
let bundle: string;
let incidentId: number;
let footageId: number;
let dataDir: string;

const post = (url: string, body: unknown) => api(server, reviewer, url, { method: "POST", body: JSON.stringify(body) });

async function exportIncident(id: number): Promise<ExportJob> {
  let job = (await (await post(`/api/incidents/${id}/export`, {})).json()) as ExportJob;
  while (job.state === "waiting" || job.state === "building") {
    await new Promise((r) => setTimeout(r, 100));
    job = (await (await api(server, reviewer, `/api/exports/jobs/${job.id}`)).json()) as ExportJob;
  }
  return job;
}

beforeAll(async () => {
  server = await startTestServer();
  dataDir = path.dirname(server.db.name);
  reviewer = await signIn(server, ["reviewer"], "rita");
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog")))]), "copter_flight_1.tlog");
  const flightId = ((await (await api(server, reviewer, "/api/flights/import", { method: "POST", body: form })).json()) as { flights: { id: number }[] }).flights[0]!.id;
  const track = await readTrack(path.join(FIXTURES, "copter_flight_1.tlog"), { sysid: 1, compid: 1 });
  const at = Math.round(track[0]!.time + 100_000);
  const video = makeVideo({ seconds: 3, creationTime: new Date(at).toISOString(), name: "DJI_0042.MP4" });
  footageId = (await ingested(server, reviewer, (await tusUpload(server, reviewer, video)).url!)).footageId!;
  await api(server, reviewer, `/api/footage/${footageId}/sidecar?name=DJI_0042.SRT`, {
    method: "POST", body: makeSrt(track, { startsAt: at, seconds: 3, fps: 25, zoneMinutes: 0 }), headers: { "content-type": "text/plain" },
  });
  await post(`/api/footage/${footageId}/sync/auto`, { flightId });
  incidentId = ((await (await post("/api/incidents", {
    reference: "CAD 9001/21NOV26", title: "Assault, Strand", type: "crime_scene", location: null, start: track[0]!.time, end: null, officer: "DC Lee 9001", notes: "",
  })).json()) as { id: number }).id;
  await post(`/api/incidents/${incidentId}/links`, { kind: "flight", id: flightId, reason: "overhead during the assault" });
  await post(`/api/incidents/${incidentId}/links`, { kind: "footage", id: footageId, reason: "camera of that flight" });
  await (await api(server, reviewer, `/api/footage/${footageId}/stream`, { headers: { range: "bytes=0-9" } })).arrayBuffer();
  const job = await exportIncident(incidentId);
  expect(job, job.message ?? "").toMatchObject({ state: "done" });
  bundle = path.join(dataDir, "exports", job.result!.name);
}, 90_000);
afterAll(async () => server?.close());

/** A copy of the bundle to damage. */
function copy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-bundle-"));
  fs.cpSync(bundle, dir, { recursive: true });
  return dir;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** Rewrites SHA256SUMS for a changed file, as someone hiding a change from sha256sum would. */
function resum(dir: string, rel: string): void {
  const sum = execFileSync("sha256sum", [rel], { cwd: dir }).toString().split(" ")[0]!;
  const sums = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8").split("\n").map((l) => (l.endsWith(`  ${rel}`) ? `${sum}  ${rel}` : l));
  fs.writeFileSync(path.join(dir, "SHA256SUMS"), sums.join("\n"));
}

const chainOf = (dir: string) => fs.readFileSync(path.join(dir, "custody/chain.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as AuditEntry);
const writeChain = (dir: string, entries: AuditEntry[]) => fs.writeFileSync(path.join(dir, "custody/chain.jsonl"), `${entries.map((e) => JSON.stringify(e)).join("\n")}\n`);

describe("the evidence bundle", () => {
  it("holds the originals, the record and the custody log; sha256sum -c and verify-bundle accept it", async () => {
    expect(files(bundle)).toEqual(expect.arrayContaining([
      "SHA256SUMS", "README.txt", "manifest.json", `incident-${incidentId}.json`, "custody/custody.csv", "custody/chain.jsonl",
      "custody/checkpoint.json", `footage/footage-${footageId}.mp4`, `footage/footage-${footageId}.srt`,
    ]));
    expect(files(bundle).some((f) => /^flights\/flight-\d+\.tlog$/.test(f))).toBe(true);
    const sums = spawnSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: bundle });
    expect(sums.status, sums.stdout.toString() + sums.stderr.toString()).toBe(0);
    const r = await verifyBundle(bundle);
    expect(r.failed).toEqual([]);
    expect(r.ok).toBe(true);
    const csv = fs.readFileSync(path.join(bundle, "custody/custody.csv"), "utf8");
    for (const action of ["footage_stored", "footage_viewed", "footage_sidecar_added", "footage_sync_set", "incident_linked", "flight_exported", "footage_exported", "incident_exported"]) {
      expect(csv, action).toContain(`,${action},`);
    }
    // The CLI, as a clerk would run it.
    const cli = spawnSync(path.resolve("node_modules/.bin/tsx"), ["server/cli/verify-bundle.ts", "-q", bundle], { encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/INTACT/);
  }, 60_000);

  it("downloads as a zip that unzips to the same bundle, which verifies; the download is in the incident's custody log", async () => {
    const name = path.basename(bundle);
    const listed = (await (await api(server, reviewer, `/api/incidents/${incidentId}/exports`)).json()) as BundleList;
    expect(listed.bundles.map((b) => b.name)).toContain(name);
    expect(listed.bundles.find((b) => b.name === name)).toMatchObject({ incidentId, reference: "CAD 9001/21NOV26", createdBy: "rita" });
    const res = await api(server, reviewer, `/api/exports/${name}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`${name}.zip`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(Number(res.headers.get("content-length")));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-zip-"));
    fs.writeFileSync(path.join(dir, "b.zip"), bytes);
    execFileSync("unzip", ["-q", "b.zip"], { cwd: dir });
    const unpacked = path.join(dir, name);
    expect(execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: unpacked }).toString()).toBe("");
    expect((await verifyBundle(unpacked)).ok).toBe(true);
    const custody = (await (await api(server, reviewer, `/api/incidents/${incidentId}/custody`)).json()) as { entries: AuditEntry[] };
    expect(custody.entries.filter((e) => e.action === "bundle_downloaded").map((e) => JSON.parse(e.detail) as { bundle: string })).toEqual([expect.objectContaining({ bundle: name })]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves no bundle by a name that is not one", async () => {
    for (const bad of ["..", "..%2F..%2Fdmc.db", "nope-20260101", ".partial"]) {
      expect((await api(server, reviewer, `/api/exports/${bad}/download`)).status, bad).toBe(404);
    }
  });

  it("fails after one byte is flipped in any file of it, naming the file", async () => {
    for (const rel of files(bundle)) {
      const dir = copy();
      const file = path.join(dir, rel);
      const bytes = fs.readFileSync(file);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      fs.writeFileSync(file, bytes);
      const r = await verifyBundle(dir);
      expect(r.ok, rel).toBe(false);
      expect(r.failed.join("\n"), rel).toMatch(rel === "SHA256SUMS" ? /SHA256SUMS|SHA-256/ : new RegExp(rel.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")));
    }
  }, 120_000);

  it("fails when a custody row is edited, when one is deleted, and when the chain is rewritten to hide it", async () => {
    const viewed = (entries: AuditEntry[]) => entries.findIndex((e) => e.action === "footage_viewed");

    const edited = copy();
    const a = chainOf(edited);
    a[viewed(a)]!.actor = "someone else";
    writeChain(edited, a);
    resum(edited, "custody/chain.jsonl");
    expect((await verifyBundle(edited)).failed.join("\n")).toMatch(/footage_viewed footage:\d+\): its content does not match its hash: it was edited/);

    const deleted = copy();
    const b = chainOf(deleted);
    b.splice(viewed(b), 1);
    writeChain(deleted, b);
    resum(deleted, "custody/chain.jsonl");
    const d = await verifyBundle(deleted);
    expect(d.failed.join("\n")).toMatch(/does not follow entry \d+ in the chain/);

    // Rewritten: the entry removed and every later hash recomputed, so the chain links again; the signed checkpoint does not.
    const rewritten = copy();
    const c = chainOf(rewritten);
    const gone = viewed(c);
    c.splice(gone, 1);
    let prev = c[gone - 1]!;
    for (const e of c.slice(gone)) {
      e.id = prev.id + 1;
      e.prev_hash = prev.hash;
      const { hash: _old, ...rest } = e;
      e.hash = entryHash(rest);
      prev = e;
    }
    writeChain(rewritten, c);
    resum(rewritten, "custody/chain.jsonl");
    const w = await verifyBundle(rewritten);
    expect(w.failed.join("\n")).toMatch(/the signed checkpoint says entry \d+ with hash/);
    expect(w.failed.join("\n")).not.toMatch(/does not match its hash/);
  }, 60_000);

  it("refuses to export an original changed on disk since it was stored, saying which", async () => {
    const f = (await (await api(server, reviewer, `/api/footage/${footageId}`)).json()) as { sha256: string };
    const original = path.join(dataDir, "evidence/originals", f.sha256.slice(0, 2), f.sha256);
    fs.chmodSync(original, 0o644);
    const bytes = fs.readFileSync(original);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(original, bytes);
    const job = await exportIncident(incidentId);
    expect(job.state).toBe("failed");
    expect(job.message).toMatch(new RegExp(`footage ${footageId}: the file's SHA-256 is [0-9a-f]{64}, not ${f.sha256} as sealed`));
    expect(fs.readdirSync(path.join(dataDir, "exports")).filter((n) => n.endsWith(".partial"))).toEqual([]);
  }, 60_000);
});
