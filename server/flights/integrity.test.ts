import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { AuditInput } from "../audit";
import type { FlightSummary } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { FlightCatalogue } from "./catalogue";
import { FIXTURE_TLOG } from "../../test/support/flights/export-fixtures";
import { FlightIntegrityChecker, sha256OfFile } from "./integrity";

const FIXTURE = fs.readFileSync(FIXTURE_TLOG);
const SHA = createHash("sha256").update(FIXTURE).digest("hex");
const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const DAY = 86_400_000;

/** Each file's last check is kept in the application database: the suite runs on SQLite and on PostgreSQL. */
describeOnEngines("flight file integrity", ({ open }) => {
  let sql: AppSql;
  let dataDir: string;
  let catalogue: FlightCatalogue;
  let audit: AuditInput[];
  let reads: string[];
  let now: number;
  let checker: FlightIntegrityChecker;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-integrity-"));
    sql = await open();
    catalogue = new FlightCatalogue(sql);
    audit = [];
    reads = [];
    now = T0;
    checker = new FlightIntegrityChecker({
      sql, catalogue, dataDir, server: "this-server", clock: () => now, log: pino({ level: "silent" }),
      audit: { record: (e) => { audit.push(e); } },
      hash: (file, signal) => {
        reads.push(path.basename(file));
        return sha256OfFile(file, signal);
      },
    });
  });
  // Before the database closes (the helper's own afterEach, registered first, runs after this one).
  afterEach(async () => {
    await checker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A flight read back from the catalogue, as the routes hand it to the checker. */
  const flight = async (id: number): Promise<FlightSummary> => (await catalogue.get(id))!;

  /** A sealed flight whose file is the fixture. */
  async function sealedFlight(name = "a.tlog", status: "recording" | "imported" = "recording", recordedBy: string | null = null): Promise<FlightSummary> {
    fs.mkdirSync(path.join(dataDir, "flights"), { recursive: true });
    if (recordedBy === null) fs.writeFileSync(path.join(dataDir, "flights", name), FIXTURE);
    const id = await catalogue.create({
      vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: `flights/${name}`,
      status, pilot: null, previousId: null, source: "live", recordedBy,
    });
    await catalogue.seal(id, { endedAt: T0 + 1000, sizeBytes: FIXTURE.length, sha256: SHA });
    return flight(id);
  }

  const fileOf = (f: FlightSummary) => path.join(dataDir, f.tlogPath);
  const listed = async (f: FlightSummary) => (await checker.annotate([await flight(f.id)], "rita"))[0]!.integrity;
  const failures = () => audit.filter((e) => e.action === "flight_integrity_failed");

  it("reads a file in full once; later answers compare its size and times only", async () => {
    const f = await sealedFlight();
    expect((await listed(f)).state).toBe("unchecked");
    await checker.idle();
    expect(reads).toEqual(["a.tlog"]);
    expect(await listed(f)).toEqual({ state: "verified", checkedAt: T0, actualSizeBytes: null, actualSha256: null });
    expect((await checker.current(await flight(f.id), "track", "rita")).integrity.state).toBe("verified");
    expect((await flight(f.id)).integrity.state).toBe("verified");
    expect(reads).toHaveLength(1);
    expect(audit).toEqual([]);
  });

  it("finds a byte changed in place, says so on every answer, and audits it once with both hashes", async () => {
    const f = await sealedFlight();
    await checker.verify(f, "verify", "rita");
    const bytes = Buffer.from(FIXTURE);
    bytes[1000] = bytes[1000]! ^ 0xff;
    fs.writeFileSync(fileOf(f), bytes);
    const actual = createHash("sha256").update(bytes).digest("hex");
    // Same size: the list cannot tell until the file is read, which it queues; the detail waits for that read.
    expect((await listed(f)).state).toBe("unchecked");
    const shown = await checker.current(await flight(f.id), "detail", "rita");
    expect(shown.integrity).toMatchObject({ state: "altered", actualSha256: actual, actualSizeBytes: FIXTURE.length });
    await checker.idle();
    for (let i = 0; i < 3; i++) {
      expect((await listed(f)).state).toBe("altered");
      expect((await checker.current(await flight(f.id), "track", "rita")).integrity.state).toBe("altered");
    }
    expect(reads).toHaveLength(2);
    expect(failures()).toEqual([expect.objectContaining({
      actor: "system", target: `flight:${f.id}`, result: "altered",
      detail: expect.objectContaining({ expectedSha256: SHA, actualSha256: actual, trigger: "list", by: "rita" }),
    })]);
    // Read in full again on request: the same alteration is not reported twice.
    await checker.verify(await flight(f.id), "verify", "rita");
    expect(failures()).toHaveLength(1);
    // Put back, then altered again: a new alteration, reported again.
    fs.writeFileSync(fileOf(f), FIXTURE);
    expect((await checker.current(await flight(f.id), "detail", null)).integrity.state).toBe("verified");
    fs.writeFileSync(fileOf(f), bytes);
    expect((await checker.current(await flight(f.id), "detail", null)).integrity.state).toBe("altered");
    expect(failures()).toHaveLength(2);
  });

  it("shows a truncated file altered at once, from its size, and audits it when the hash is read", async () => {
    const f = await sealedFlight();
    fs.writeFileSync(fileOf(f), FIXTURE.subarray(0, 1000));
    expect(await listed(f)).toMatchObject({ state: "altered", actualSizeBytes: 1000, actualSha256: null });
    await checker.idle();
    const actual = createHash("sha256").update(FIXTURE.subarray(0, 1000)).digest("hex");
    expect(await listed(f)).toMatchObject({ state: "altered", actualSizeBytes: 1000, actualSha256: actual });
    expect(failures()).toEqual([expect.objectContaining({ result: "altered",
      detail: expect.objectContaining({ expectedSizeBytes: FIXTURE.length, actualSizeBytes: 1000, actualSha256: actual, trigger: "list" }) })]);
  });

  it("shows a missing file, audited once", async () => {
    const f = await sealedFlight();
    fs.rmSync(fileOf(f));
    for (let i = 0; i < 3; i++) expect((await listed(f)).state).toBe("missing");
    expect((await checker.verify(await flight(f.id), "export", "rita")).integrity.state).toBe("missing");
    expect(failures()).toEqual([expect.objectContaining({ result: "missing", detail: expect.objectContaining({ actualSha256: null }) })]);
  });

  /** Two sealed flights: one whose file was removed, one whose file had a byte changed. */
  async function goneAndAltered(): Promise<{ gone: FlightSummary; altered: FlightSummary }> {
    const gone = await sealedFlight("gone.tlog");
    const altered = await sealedFlight("altered.tlog");
    fs.rmSync(fileOf(gone));
    const bytes = Buffer.from(FIXTURE);
    bytes[1000] = bytes[1000]! ^ 0xff;
    fs.writeFileSync(fileOf(altered), bytes);
    return { gone, altered };
  }

  it("audits a failure once when several requests find it at the same time", async () => {
    const { gone, altered } = await goneAndAltered();
    // The store answers asynchronously: each check's read of the record and what it writes are not interleaved
    // (on PostgreSQL, with a pool of connections, ten at once did audit the same failure several times).
    const tenTimes = <T>(check: () => Promise<T>) => Array.from({ length: 10 }, check);
    const answers = await Promise.all([
      ...tenTimes(async () => listed(gone)),
      ...tenTimes(async () => (await checker.current(await flight(gone.id), "detail", "rita")).integrity),
      ...tenTimes(async () => (await checker.current(await flight(altered.id), "detail", "rita")).integrity),
      ...tenTimes(async () => (await checker.verify(await flight(altered.id), "verify", "rita")).integrity),
    ]);
    expect(answers.map((a) => a.state)).toEqual([...Array<string>(20).fill("missing"), ...Array<string>(20).fill("altered")]);
    await checker.idle();
    expect(failures().map((e) => `${e.target} ${e.result}`).sort()).toEqual([`flight:${gone.id} missing`, `flight:${altered.id} altered`].sort());
  });

  it("audits a failure once when two servers sharing the files find it at the same time", async () => {
    const { gone, altered } = await goneAndAltered();
    // Another server: its own checker (its own per-process order), the same database and files.
    const other = new FlightIntegrityChecker({
      sql, catalogue, dataDir, server: "other-server", sharing: () => ["other-server", "this-server"], clock: () => now,
      log: pino({ level: "silent" }), audit: { record: (e) => { audit.push(e); } },
    });
    try {
      const both = (id: number) => [checker, other].flatMap((c) => Array.from({ length: 5 }, async () => (await c.verify(await flight(id), "verify", "rita")).integrity.state));
      expect(await Promise.all([...both(gone.id), ...both(altered.id)])).toEqual([...Array<string>(10).fill("missing"), ...Array<string>(10).fill("altered")]);
      expect(failures().map((e) => `${e.target} ${e.result}`).sort()).toEqual([`flight:${gone.id} missing`, `flight:${altered.id} altered`].sort());
    } finally {
      await other.stop();
    }
  });

  it("does not check what is not sealed", async () => {
    const id = await catalogue.create({
      vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: "flights/none.tlog",
      status: "recording", pilot: null, previousId: null, source: "live",
    });
    expect((await listed(await flight(id))).state).toBe("recording");
    expect((await checker.verify(await flight(id), "verify", null)).integrity.state).toBe("recording");
    expect(reads).toEqual([]);
  });

  it("sweeps sealed files one at a time, again once their last read is older than a day", async () => {
    const a = await sealedFlight("a.tlog");
    await sealedFlight("b.tlog", "imported");
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
    const f = await sealedFlight();
    let started = (): void => {};
    const reading = new Promise<void>((resolve) => { started = resolve; });
    const stuck = new FlightIntegrityChecker({
      sql, catalogue, dataDir, clock: () => now, log: pino({ level: "silent" }), audit: { record: () => undefined },
      hash: (_file, signal) => new Promise((_resolve, reject) => {
        started();
        signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
      }),
    });
    await stuck.annotate([f], null);
    await reading;
    await stuck.stop();
    expect((await flight(f.id)).integrity.state).toBe("unchecked");
  });

  it("leaves a flight another server recorded to that server: its file is not here, and that is no failure", async () => {
    const theirs = await sealedFlight("theirs.tlog", "recording", "another-server");
    const ours = await sealedFlight("ours.tlog");
    expect((await listed(theirs)).state).toBe("unchecked");
    expect((await checker.verify(await flight(theirs.id), "verify", "rita")).integrity.state).toBe("unchecked");
    await checker.sweep();
    expect(reads).toEqual(["ours.tlog"]);
    expect(failures()).toEqual([]);
    expect((await listed(ours)).state).toBe("verified");
    expect((await listed(theirs)).state).toBe("unchecked");
  });
});
