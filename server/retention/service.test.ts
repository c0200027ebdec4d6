/**
 * The deletion queue on each engine, with servers sharing one database: an item is queued once, a due request is
 * carried out by one sweep, and a request being carried out cannot be cancelled under it. Flights' .tlog removal is
 * recorded here instead of done (test/integration/retention-flights.test.ts deletes real files through the server).
 */
import pino from "pino";
import { expect, it } from "vitest";
import type { AuditInput } from "../audit";
import { FlightCatalogue, FlightTombstones } from "../flights";
import type { RetainedFlight } from "../flights";
import { FootageCatalogue } from "../footage";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { Retention, isRetentionRefusal } from "./service";
import type { DeletionRequest, RetentionRefusal } from "./service";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const ADMIN = { name: "ada", address: "10.0.0.1" };
const POLICY = { nonEvidentialDays: 30, evidentialDays: 365, recoveryDays: 7 };
const STATS = {
  armedAt: T0, disarmedAt: T0 + 60_000, distanceM: 100, maxAltRelM: 20, maxDistHomeM: 50, takeoff: null, landing: null, bbox: null,
  packets: 10, packetsIn: 8, packetsOut: 2, messages: [], messagesDropped: 0, endedAt: T0 + 70_000,
};

interface Server {
  retention: Retention;
  removed: number[];
  audits: AuditInput[];
  /** While set, removing a .tlog waits for it (a sweep caught half-way); `entered` is called as it starts waiting. */
  gate: Promise<void> | null;
  entered: () => void;
}

describeOnEngines("the deletion queue", ({ open }) => {
  const clock = { now: T0 };

  /** One server's retention on the shared database. */
  function server(sql: AppSql): Server {
    const tombstones = new FlightTombstones(sql);
    const s: Server = { retention: null as unknown as Retention, removed: [], audits: [], gate: null, entered: () => {} };
    const never = (what: string) => () => Promise.reject(new Error(`no footage in this suite: ${what} not expected`));
    s.retention = new Retention({
      sql, policy: POLICY, log: pino({ level: "silent" }), now: () => clock.now,
      audit: { record: (input) => s.audits.push(input) },
      footage: new FootageCatalogue(sql),
      sidecarSha: never("sidecarSha"),
      evidence: { remove: never("evidence.remove") },
      removeDerived: never("removeDerived"),
      flights: {
        get: (id) => tombstones.get(id),
        all: () => tombstones.all(),
        markDeleted: (id, t) => tombstones.mark(id, t),
        remove: async (f: RetainedFlight) => {
          s.entered();
          await s.gate;
          s.removed.push(f.id);
          return `.tlog ${f.tlogPath} deleted`;
        },
      },
      // No incident links in this suite: nothing is evidential or held.
      liveLinks: () => Promise.resolve([]),
    });
    return s;
  }

  async function sealedFlight(sql: AppSql, n: number): Promise<number> {
    const [id] = await new FlightCatalogue(sql).createSealed([{
      flight: { vehicle: { key: `${n}:1`, sysid: n, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: `flights/${n}-1/f.tlog`,
        status: "recording", pilot: "pia", previousId: null, source: "live" },
      stats: STATS, seal: { endedAt: T0 + 70_000, sizeBytes: 10, sha256: "ab".repeat(32) },
    }]);
    return id!;
  }

  const made = (r: DeletionRequest | RetentionRefusal): DeletionRequest => {
    if (isRetentionRefusal(r)) throw new Error(`refused: ${r.message}`);
    return r;
  };

  it("queues an item once, whichever server asks first", async () => {
    clock.now = T0 + DAY;
    const sql = await open();
    const [a, b] = [server(sql), server(sql)];
    const id = await sealedFlight(sql, 1);
    const answers = await Promise.all([a.retention.request(id, "asked twice", ADMIN, "flight"), b.retention.request(id, "asked twice", ADMIN, "flight")]);
    const queued = answers.filter((r) => !isRetentionRefusal(r));
    expect(queued).toHaveLength(1);
    expect(answers.filter(isRetentionRefusal)).toEqual([expect.objectContaining({ status: 409, code: "already_queued" })]);
    expect(await a.retention.requests()).toEqual([expect.objectContaining({ kind: "flight", itemId: id, state: "pending", decidedBy: null,
      dueAt: T0 + DAY + 7 * DAY })]);
    expect([...a.audits, ...b.audits].filter((e) => e.action === "retention_deletion_requested")).toHaveLength(1);
  });

  it("carries out a due request once when several servers sweep at the same moment", async () => {
    clock.now = T0 + DAY;
    const sql = await open();
    const servers = [server(sql), server(sql), server(sql)];
    const id = await sealedFlight(sql, 1);
    const req = made(await servers[0]!.retention.request(id, "not needed", ADMIN, "flight"));
    clock.now = req.dueAt + 1;
    const results = await Promise.all(servers.map((s) => s.retention.sweep()));
    expect(results.reduce((n, r) => n + r.deleted, 0)).toBe(1);
    expect(servers.flatMap((s) => s.removed)).toEqual([id]);
    expect(servers.flatMap((s) => s.audits).filter((e) => e.action === "flight_deleted")).toHaveLength(1);
    const [done] = await servers[1]!.retention.requests();
    expect(done).toMatchObject({ id: req.id, state: "done", decidedBy: "system", outcome: expect.stringContaining("deleted") });
    expect(await new FlightTombstones(sql).get(id)).toMatchObject({ deleted: { by: "ada", reason: "not needed", request: req.id } });
  });

  it("refuses to cancel a request a sweep is carrying out, and cancels one still waiting", async () => {
    clock.now = T0 + DAY;
    const sql = await open();
    const [a, b] = [server(sql), server(sql)];
    const [one, two] = [await sealedFlight(sql, 1), await sealedFlight(sql, 2)];
    const first = made(await a.retention.request(one, "not needed", ADMIN, "flight"));
    clock.now += 1000;
    const second = made(await a.retention.request(two, "not needed", ADMIN, "flight"));
    // The first is due, the second not yet.
    clock.now = first.dueAt + 1;
    let release = () => {};
    a.gate = new Promise((resolve) => { release = resolve; });
    const inside = new Promise<void>((resolve) => { a.entered = resolve; });
    const sweeping = a.retention.sweep();
    await inside;
    // The sweep holds its claim while it removes the file: another server's cancellation is refused, not lost.
    expect(await b.retention.cancel(first.id, "changed my mind", ADMIN)).toMatchObject({ refused: true, status: 409, code: "being_deleted" });
    release();
    expect(await sweeping).toMatchObject({ deleted: 1 });
    expect(await b.retention.cancel(first.id, "too late", ADMIN)).toMatchObject({ refused: true, code: "already_decided" });
    expect(await b.retention.cancel(second.id, "keep it", ADMIN)).toMatchObject({ id: second.id, state: "cancelled", decidedBy: "ada", outcome: "keep it" });
    clock.now = second.dueAt + 1;
    expect(await a.retention.sweep()).toMatchObject({ deleted: 0 });
    expect(a.removed).toEqual([one]);
  });
});
