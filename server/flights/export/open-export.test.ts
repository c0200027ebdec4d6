import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportFile, ExportRefusal } from "./open-export";
import { exportFileName, flightFilePath, openExport } from "./open-export";
import { fileChunks } from "./samples";
import { FIXTURE_TLOG, testFlight } from "../../../test/support/flights/export-fixtures";

let dataDir: string;
const fixture = fs.readFileSync(FIXTURE_TLOG);
const sha256 = createHash("sha256").update(fixture).digest("hex");
const flight = testFlight();

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-export-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.copyFileSync(FIXTURE_TLOG, path.join(dataDir, flight.tlogPath));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function bytes(body: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

function opened(r: ExportFile | ExportRefusal): ExportFile {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

describe("opening an export", () => {
  it("sends the .tlog byte for byte, with its length and, once sealed, its hash", async () => {
    const sealed = testFlight({ status: "closed", sizeBytes: fixture.length, sha256 });
    const file = opened(await openExport(dataDir, sealed, "tlog"));
    expect(file.headers).toMatchObject({
      "Content-Type": "application/octet-stream",
      "Content-Length": String(fixture.length),
      "Content-Disposition": `attachment; filename="flight-12-1-20261121T041644Z.tlog"`,
      "X-Content-SHA256": sha256,
      "Repr-Digest": `sha-256=:${Buffer.from(sha256, "hex").toString("base64")}:`,
    });
    expect((await bytes(file.body)).equals(fixture)).toBe(true);
  });

  it("refuses a sealed flight whose file no longer has the sealed size, and a missing or escaping file", async () => {
    const altered = await openExport(dataDir, testFlight({ sizeBytes: fixture.length - 1, sha256 }), "tlog");
    expect(altered).toMatchObject({ ok: false, status: 409, code: "tlog_altered" });
    // Same length, other bytes: the hash finds it, for the original and for every derived format.
    const otherHash = "0".repeat(64);
    for (const format of ["tlog", "gpx", "csv"] as const) {
      expect(await openExport(dataDir, testFlight({ sizeBytes: fixture.length, sha256: otherHash }), format), format)
        .toMatchObject({ ok: false, status: 409, code: "tlog_altered", message: expect.stringMatching(/no longer has the SHA-256/) });
    }
    expect(await openExport(dataDir, testFlight({ tlogPath: "flights/none.tlog" }), "kml")).toMatchObject({ ok: false, status: 404, code: "tlog_missing" });
    expect(flightFilePath(dataDir, testFlight({ tlogPath: "../../etc/passwd" }))).toBeNull();
    expect(flightFilePath(dataDir, testFlight({ tlogPath: "/etc/passwd" }))).toBeNull();
    expect(await openExport(dataDir, testFlight({ tlogPath: "../escape.tlog" }), "tlog")).toMatchObject({ ok: false, status: 404 });
  });

  it("names each format's file and type", async () => {
    const types = { kml: "application/vnd.google-earth.kml+xml", gpx: "application/gpx+xml", csv: "text/csv; charset=utf-8", geojson: "application/geo+json" } as const;
    for (const [format, type] of Object.entries(types) as [keyof typeof types, string][]) {
      const file = opened(await openExport(dataDir, flight, format));
      expect(file.headers["Content-Type"]).toBe(type);
      expect(file.headers["Content-Disposition"]).toBe(`attachment; filename="${exportFileName(flight, format)}"`);
      expect((await bytes(file.body)).length).toBeGreaterThan(10_000);
    }
  });
});

describe("a large flight", () => {
  const COPIES = 24;
  let big: ReturnType<typeof testFlight>;

  beforeAll(() => {
    // 22 MB: the fixture again and again (a valid .tlog; its times repeat, which no export minds).
    big = testFlight({ tlogPath: "flights/1-1/big.tlog" });
    const fd = fs.openSync(path.join(dataDir, big.tlogPath), "w");
    for (let i = 0; i < COPIES; i++) fs.writeSync(fd, fixture);
    fs.closeSync(fd);
  });

  it("is decoded only as fast as the reader takes it: a stalled reader holds the file read at a few chunks", async () => {
    let read = 0;
    const counting = async function* (file: string): AsyncGenerator<Buffer> {
      for await (const chunk of fileChunks(file)) {
        read += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    };
    const file = opened(await openExport(dataDir, big, "csv", { read: counting }));
    // Take one piece, then stop reading for a while.
    const first = await new Promise<Buffer>((resolve) => file.body.once("data", (d: Buffer) => {
      file.body.pause();
      resolve(d);
    }));
    expect(first.toString().startsWith("time,lat,lon")).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const size = fixture.length * COPIES;
    expect(read).toBeLessThan(size / 10);
    // Reading on takes the file to its end, with a row per position in every copy.
    const rest = await bytes(file.body);
    expect(read).toBe(size);
    expect(Buffer.concat([first, rest]).toString().split("\r\n").length - 2).toBe(739 * COPIES);
  });

  it("sends the .tlog of any size as it is read, not from memory", async () => {
    const file = opened(await openExport(dataDir, big, "tlog"));
    const hash = createHash("sha256");
    let largest = 0;
    for await (const chunk of file.body) {
      largest = Math.max(largest, (chunk as Buffer).length);
      hash.update(chunk as Buffer);
    }
    expect(largest).toBeLessThanOrEqual(64 * 1024);
    const expected = createHash("sha256");
    for (let i = 0; i < COPIES; i++) expected.update(fixture);
    expect(hash.digest("hex")).toBe(expected.digest("hex"));
  });
});
