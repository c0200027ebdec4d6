/**
 * A large .tlog imported through the real HTTP route while a vehicle is connected over UDP. The ground station's
 * HEARTBEAT must keep coming during the whole import (ArduPilot's GCS failsafe fires after 5 s without one; we hold
 * it to 1.5 s between two, the 1 Hz beat plus half a second), the reviewer can follow the import's progress, and a
 * file with no valid MAVLink is refused (422) with nothing kept. 64 MiB: parsed on the event loop (as imports were)
 * it stalled the beat 3.7 s here; small enough for CI.
 */
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MSG_ID, MavlinkFramer, RawEncoder } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import type { ImportJobStatus, SeriesResponse } from "../../server/protocol";
import { writeLongTlog } from "../../sitl/tlog-gen";
import type { LongTlog } from "../../sitl/tlog-gen";
import { api, signIn, startTestServer, waitFor } from "../helpers/server";

let server: RunningServer;
let reviewer: string;
let work: string;
let file: string;
let generated: LongTlog;
const dataDir = () => path.dirname(server.db.name);

/** A vehicle on the UDP link: sends its heartbeat at 1 Hz and notes when each ground-station HEARTBEAT arrives. */
class Vehicle {
  readonly beats: number[] = [];
  private readonly socket = dgram.createSocket("udp4");
  private readonly encoder = new RawEncoder({ sysid: 42, compid: 1 });
  private readonly timer: NodeJS.Timeout;
  constructor(port: number) {
    const framer = new MavlinkFramer((f) => {
      if (f.msgid === MSG_ID.HEARTBEAT && f.sysid === 255) this.beats.push(performance.now());
    });
    this.socket.on("message", (msg) => framer.push(msg));
    const beat = () => this.socket.send(this.encoder.encode("HEARTBEAT",
      { type: 2, autopilot: 3, base_mode: 89, custom_mode: 0, system_status: 3, mavlink_version: 3 }), port, "127.0.0.1");
    // Telemetry too: a system that only ever sends heartbeats is not kept as a vehicle (vehicles/admission.ts).
    const attitude = () => this.socket.send(this.encoder.encode("ATTITUDE", { time_boot_ms: 1000, roll: 0.01 }), port, "127.0.0.1");
    beat();
    this.timer = setInterval(() => {
      beat();
      attitude();
    }, 1000);
  }
  /** Longest time between two ground-station heartbeats received in [from, to], ms. */
  maxGap(from: number, to: number): number {
    const inside = this.beats.filter((t) => t >= from && t <= to);
    const before = this.beats.filter((t) => t < from).at(-1);
    const times = before === undefined ? inside : [before, ...inside];
    let max = 0;
    for (let i = 1; i < times.length; i++) max = Math.max(max, times[i]! - times[i - 1]!);
    return Math.max(max, to - (times.at(-1) ?? from));
  }
  close(): void {
    clearInterval(this.timer);
    this.socket.close();
  }
}

function upload(bytes: Buffer | Blob, name: string, headers: Record<string, string> = {}, cookie = reviewer): Promise<Response> {
  const form = new FormData();
  form.append("file", bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)]), name);
  return api(server, cookie, "/api/flights/import", { method: "POST", body: form, headers });
}

const listed = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : []);

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-import-load-"));
  file = path.join(work, "shift.tlog");
  generated = await writeLongTlog(file, { minBytes: 64 * 1024 ** 2 });
  server = await startTestServer({ links: ["udpin://127.0.0.1:0"] });
  reviewer = await signIn(server, ["reviewer"]);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("importing a 64 MiB .tlog over HTTP with a vehicle connected", () => {
  it("keeps the heartbeat under 1.5 s apart, reports progress, and imports every flight with its series", async () => {
    const vehicle = new Vehicle(server.links[0]!.localAddress()!.port);
    try {
      await waitFor("the ground station's heartbeats", () => vehicle.beats.length >= 2, 10_000);
      // The uploader shares this process (and its event loop) with the server: the file is sent as a file-backed Blob,
      // read as it is sent. A Blob built from the whole file in memory held the loop ~0.9 s on its own (measured here).
      const blob = await fs.openAsBlob(file);
      const t0 = performance.now();
      const res = await upload(blob, "shift.tlog", { prefer: "respond-async" });
      expect(res.status).toBe(202);
      const first = (await res.json()) as ImportJobStatus;
      expect(res.headers.get("location")).toBe(`/api/flights/import/${first.id}`);
      const seen: ImportJobStatus[] = [first];
      const final = await waitFor("the import to finish", async () => {
        const s = (await (await api(server, reviewer, `/api/flights/import/${first.id}`)).json()) as ImportJobStatus;
        seen.push(s);
        return s.phase === "done" || s.phase === "failed" ? s : (await new Promise((r) => setTimeout(r, 100)), null);
      }, 110_000);
      const t1 = performance.now();

      expect(vehicle.maxGap(t0, t1)).toBeLessThan(1500);
      expect(final.result?.status).toBe(201);
      const report = final.result!.body as { flights: { id: number }[]; packets: number; sizeBytes: number; series: { points: number; problem: null } };
      expect(report).toMatchObject({ packets: generated.packets, sizeBytes: generated.sizeBytes, series: { problem: null } });
      expect(report.flights).toHaveLength(generated.flights);
      expect(report.series.points).toBeGreaterThan(10_000);
      // Progress was visible: the file read, then the series written.
      expect(seen.some((s) => s.phase === "reading" || s.phase === "series")).toBe(true);
      expect(final).toMatchObject({ bytes: generated.sizeBytes, totalBytes: generated.sizeBytes, packets: generated.packets });
      const id = report.flights[0]!.id;
      const series = (await (await api(server, reviewer, `/api/flights/${id}/series?kind=position`)).json()) as SeriesResponse;
      expect(series.samples.length).toBeGreaterThan(100);
      // The upload was moved into imports/, not copied; nothing is left in the upload directory.
      expect(listed(path.join(dataDir(), "tmp"))).toEqual([]);
      // The job is its owner's to read.
      const other = await signIn(server, ["reviewer"], "other-reviewer");
      expect((await api(server, other, `/api/flights/import/${first.id}`)).status).toBe(404);
    } finally {
      vehicle.close();
    }
  }, 120_000);
});

describe("a file with no valid MAVLink", () => {
  it("is refused with 422 and the reason, and nothing of it is kept", async () => {
    const imports = path.join(dataDir(), "imports");
    const before = listed(imports);
    const total = (await (await api(server, reviewer, "/api/flights")).json()) as { total: number };
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(5000, 3)]);
    const noise = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + (i >> 3) * 31) & 0xff));
    for (const [name, bytes, reason] of [["png.tlog", png, /looks like a PNG image/], ["noise.tlog", noise, /no valid MAVLink packet/],
      ["empty.tlog", Buffer.alloc(0), /empty/]] as const) {
      const res = await upload(bytes, name);
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("not_mavlink");
      expect(body.error.message).toMatch(reason);
    }
    expect(listed(imports)).toEqual(before);
    expect(listed(path.join(dataDir(), "tmp"))).toEqual([]);
    expect(((await (await api(server, reviewer, "/api/flights")).json()) as { total: number }).total).toBe(total.total);
    expect((await server.audit.list(5)).find((e) => e.action === "flight_imported")).toMatchObject({ result: "refused" });
  });

  it("a file over --import-max-bytes is refused with 413 and not kept", async () => {
    const small = await startTestServer({ importMaxBytes: 64 * 1024 });
    try {
      const cookie = await signIn(small, ["reviewer"]);
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(fs.readFileSync(file).subarray(0, 100_000))]), "big.tlog");
      const res = await api(small, cookie, "/api/flights/import", { method: "POST", body: form });
      expect(res.status).toBe(413);
      expect(listed(path.join(path.dirname(small.db.name), "tmp"))).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
