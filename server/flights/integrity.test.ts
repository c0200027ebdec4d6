import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditInput } from "../audit";
import type { FlightSummary } from "../protocol";
import { openAppDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import type { Db } from "../storage";
import { FlightCatalogue } from "./catalogue";
import { FIXTURE_TLOG } from "../../test/support/flights/export-fixtures";
import { FlightIntegrityChecker, sha256OfFile } from "./integrity";

const FIXTURE = fs.readFileSync(FIXTURE_TLOG);
const SHA = createHash("sha256").update(FIXTURE).digest("hex");
const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const DAY = 86_400_000;

let db: Db;
let dataDir: string;
let catalogue: FlightCatalogue;
let audit: AuditInput[];
let reads: string[];
let now: number;
let checker: FlightIntegrityChecker;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-integrity-"));
  db = openAppDatabase(dataDir, pino({ level: "silent" }), MIGRATIONS);
  catalogue = new FlightCatalogue(db);
  audit = [];
  reads = [];
  now = T0;
  checker = new FlightIntegrityChecker({
    db, catalogue, dataDir, clock: () => now, log: pino({ level: "silent" }),
    audit: { record: (e) => { audit.push(e); } },
    hash: (file, signal) => {
      reads.push(path.basename(file));
      return sha256OfFile(file, signal);
    },
  });
});
afterEach(async () => {
  await checker.stop();
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A sealed flight whose file is the fixture. */
function sealedFlight(name = "a.tlog", status: "recording" | "imported" = "recording"): FlightSummary {
  fs.mkdirSync(path.join(dataDir, "flights"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights", name), FIXTURE);
  const id = catalogue.create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: `flights/${name}`,
    status, pilot: null, previousId: null, source: "live",
  });
  catalogue.seal(id, { endedAt: T0 + 1000, sizeBytes: FIXTURE.length, sha256: SHA });
  return catalogue.get(id)!;
}

const fileOf = (f: FlightSummary) => path.join(dataDir, f.tlogPath);
const listed = async (f: FlightSummary) => (await checker.annotate([catalogue.get(f.id)!], "rita"))[0]!.integrity;
const failures = () => audit.filter((e) => e.action === "flight_integrity_failed");

describe("flight file integrity", () => {
  it("reads a file in full once; later answers compare its size and times only", async () => {
    const f = sealedFlight();
    expect((await listed(f)).state).toBe("unchecked");
    await checker.idle();
    expect(reads).toEqual(["a.tlog"]);
    expect(await listed(f)).toEqual({ state: "verified", checkedAt: T0, actualSizeBytes: null, actualSha256: null });
    expect((await checker.current(catalogue.get(f.id)!, "track", "rita")).integrity.state).toBe("verified");
    expect(catalogue.get(f.id)!.integrity.state).toBe("verified");
    expect(reads).toHaveLength(1);
    expect(audit).toEqual([]);
  });

  it("finds a byte changed in place, says so on every answer, and audits it once with both hashes", async () => {
    const f = sealedFlight();
    await checker.verify(f, "verify", "rita");
    const bytes = Buffer.from(FIXTURE);
    bytes[1000] = bytes[1000]! ^ 0xff;
    fs.writeFileSync(fileOf(f), bytes);
    const actual = createHash("sha256").update(bytes).digest("hex");
    // Same size: the list cannot tell until the file is read, which it queues; the detail waits for that read.
    expect((await listed(f)).state).toBe("unchecked");
    const shown = await checker.current(catalogue.get(f.id)!, "detail", "rita");
    expect(shown.integrity).toMatchObject({ state: "altered", actualSha256: actual, actualSizeBytes: FIXTURE.length });
    await checker.idle();
    for (let i = 0; i < 3; i++) {
      expect((await listed(f)).state).toBe("altered");
      expect((await checker.current(catalogue.get(f.id)!, "track", "rita")).integrity.state).toBe("altered");
    }
    expect(reads).toHaveLength(2);
    expect(failures()).toEqual([expect.objectContaining({
      actor: "system", target: `flight:${f.id}`, result: "altered",
      detail: expect.objectContaining({ expectedSha256: SHA, actualSha256: actual, trigger: "list", by: "rita" }),
    })]);
    // Read in full again on request: the same alteration is not reported twice.
    await checker.verify(catalogue.get(f.id)!, "verify", "rita");
    expect(failures()).toHaveLength(1);
    // Put back, then altered again: a new alteration, reported again.
    fs.writeFileSync(fileOf(f), FIXTURE);
    expect((await checker.current(catalogue.get(f.id)!, "detail", null)).integrity.state).toBe("verified");
    fs.writeFileSync(fileOf(f), bytes);
    expect((await checker.current(catalogue.get(f.id)!, "detail", null)).integrity.state).toBe("altered");
    expect(failures()).toHaveLength(2);
  });

  it("shows a truncated file altered at once, from its size, and audits it when the hash is read", async () => {
    const f = sealedFlight();
    fs.writeFileSync(fileOf(f), FIXTURE.subarray(0, 1000));
    expect(await listed(f)).toMatchObject({ state: "altered", actualSizeBytes: 1000, actualSha256: null });
    await checker.idle();
    const actual = createHash("sha256").update(FIXTURE.subarray(0, 1000)).digest("hex");
    expect(await listed(f)).toMatchObject({ state: "altered", actualSizeBytes: 1000, actualSha256: actual });
    expect(failures()).toEqual([expect.objectContaining({ result: "altered",
      detail: expect.objectContaining({ expectedSizeBytes: FIXTURE.length, actualSizeBytes: 1000, actualSha256: actual, trigger: "list" }) })]);
  });

  it("shows a missing file, audited once", async () => {
    const f = sealedFlight();
    fs.rmSync(fileOf(f));
    for (let i = 0; i < 3; i++) expect((await listed(f)).state).toBe("missing");
    expect((await checker.verify(catalogue.get(f.id)!, "export", "rita")).integrity.state).toBe("missing");
    expect(failures()).toEqual([expect.objectContaining({ result: "missing", detail: expect.objectContaining({ actualSha256: null }) })]);
  });

  it("does not check what is not sealed", async () => {
    const id = catalogue.create({
      vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: "flights/none.tlog",
      status: "recording", pilot: null, previousId: null, source: "live",
    });
    expect((await listed(catalogue.get(id)!)).state).toBe("recording");
    expect((await checker.verify(catalogue.get(id)!, "verify", null)).integrity.state).toBe("recording");
    expect(reads).toEqual([]);
  });

  it("sweeps sealed files one at a time, again once their last read is older than a day", async () => {
    const a = sealedFlight("a.tlog");
    sealedFlight("b.tlog", "imported");
    await checker.sweep();
    expect(reads).toEqual(["a.tlog", "b.tlog"]);
    now += DAY / 2;
    await checker.sweep();
    expect(reads).toHaveLength(2);
    now += DAY;
    fs.rmSync(fileOf(a));
    await checker.sweep();
    expect(reads).toEqual(["a.tlog", "b.tlog", "b.tlog"]);
    expect(failures().map((e) => e.result)).toEqual(["missing"]);
  });

  it("abandons a read under way when stopped", async () => {
    const f = sealedFlight();
    let started = (): void => {};
    const reading = new Promise<void>((resolve) => { started = resolve; });
    const stuck = new FlightIntegrityChecker({
      db, catalogue, dataDir, clock: () => now, log: pino({ level: "silent" }), audit: { record: () => undefined },
      hash: (_file, signal) => new Promise((_resolve, reject) => {
        started();
        signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
      }),
    });
    await stuck.annotate([f], null);
    await reading;
    await stuck.stop();
    expect(catalogue.get(f.id)!.integrity.state).toBe("unchecked");
  });
});
