import { describe, expect, it } from "vitest";
import { alertHarness } from "../../test/support/alerts/harness";
import { atAltitude, copter, withBattery } from "../../test/support/alerts/vehicles";
import { describeOnEngines } from "../../test/support/storage/engines";

const v = copter();
const pilot = { name: "pc.jones", address: "10.0.0.7" };

describeOnEngines("alerts stored", (ctx) => {
  it("records who acknowledged, audits it, emits the alert, and keeps it active while its condition lasts", async () => {
    const h = await alertHarness({ sql: await ctx.open() });
    h.run([withBattery(v, 25)]);
    const [alert] = h.alerts("battery_low");
    if (!alert) throw new Error("no alert");
    const r = await h.engine.acknowledge(alert.id, pilot, h.clock.now);
    expect(r).toMatchObject({ ok: true, value: { id: alert.id, acknowledgedBy: "pc.jones", acknowledgedAt: h.clock.now, clearedAt: null } });
    expect(h.emitted.at(-1)).toMatchObject({ id: alert.id, acknowledgedBy: "pc.jones" });
    expect(h.audited).toEqual([{ actor: "pc.jones", address: "10.0.0.7", action: "alert_acknowledged", target: "1:1", result: "ok",
      detail: { alert: alert.id, rule: "battery_low", severity: "warning", text: "Battery low: 25 % (below 30 %)" } }]);
    // A worse value later updates the text and keeps the acknowledgement.
    h.run([withBattery(v, 23)]);
    expect(h.alerts("battery_low")[0]).toMatchObject({ text: "Battery low: 23 % (below 30 %)", acknowledgedBy: "pc.jones" });
    await h.engine.flush();
    expect(await h.store.get(alert.id)).toMatchObject({ text: "Battery low: 23 % (below 30 %)", acknowledgedBy: "pc.jones" });
  });

  it("takes an acknowledgement stored by another server into its own copy: its next change and snapshot keep it", async () => {
    const h = await alertHarness({ sql: await ctx.open() });
    h.run([withBattery(v, 25)]);
    const [alert] = h.alerts("battery_low");
    if (!alert) throw new Error("no alert");
    h.engine.acknowledgedElsewhere(alert.id, "sgt.patel", h.clock.now);
    expect(h.engine.recent().find((a) => a.id === alert.id)).toMatchObject({ acknowledgedBy: "sgt.patel", acknowledgedAt: h.clock.now });
    h.run([withBattery(v, 23)]);
    expect(h.emitted.at(-1)).toMatchObject({ id: alert.id, text: "Battery low: 23 % (below 30 %)", acknowledgedBy: "sgt.patel" });
    // Nothing audited here: the server that stored it audited it. An unknown id changes nothing.
    expect(h.audited).toEqual([]);
    h.engine.acknowledgedElsewhere(9999, "sgt.patel", h.clock.now);
  });

  it("a second acknowledgement is ok with the alert as it was; unknown and bad ids are refused", async () => {
    const h = await alertHarness({ sql: await ctx.open() });
    h.run([atAltitude(v, 125)]);
    const id = h.alerts()[0]?.id ?? 0;
    await h.engine.acknowledge(id, pilot, h.clock.now);
    const again = await h.engine.acknowledge(id, { name: "sgt.patel", address: "10.0.0.8" }, h.clock.now + 1000);
    expect(again).toMatchObject({ ok: true, value: { acknowledgedBy: "pc.jones" } });
    expect(h.audited).toHaveLength(1);
    expect(await h.engine.acknowledge(9999, pilot, h.clock.now)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await h.engine.acknowledge(-1, pilot, h.clock.now)).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  it("acknowledges a cleared alert from the history, and undoes an acknowledgement the audit log refused", async () => {
    const h = await alertHarness({ sql: await ctx.open() });
    h.run([atAltitude(v, 125)]);
    h.hold(atAltitude(v, 100), 3100);
    const id = h.alerts()[0]?.id ?? 0;
    expect(await h.engine.acknowledge(id, pilot, h.clock.now)).toMatchObject({ ok: true, value: { acknowledgedBy: "pc.jones" } });

    const broken = await alertHarness({ sql: await ctx.open(), audit: { append: () => Promise.reject(new Error("disk full")) } });
    broken.run([atAltitude(v, 125)]);
    const brokenId = broken.alerts()[0]?.id ?? 0;
    expect(await broken.engine.acknowledge(brokenId, pilot, broken.clock.now)).toMatchObject({ ok: false, error: { code: "audit_failed" } });
    expect((await broken.store.get(brokenId))?.acknowledgedAt).toBeNull();
  });

  it("two servers sharing the database: disjoint ids, and one acknowledgement of an alert, whichever server is asked", async () => {
    const sql = await ctx.open();
    const a = await alertHarness({ sql });
    const b = await alertHarness({ sql });
    a.run([atAltitude(v, 125)]);
    b.run([withBattery(v, 25)]);
    const [fromA] = a.alerts();
    const [fromB] = b.alerts();
    if (!fromA || !fromB) throw new Error("no alerts");
    expect(fromA.id).not.toBe(fromB.id);
    await a.engine.flush();
    const answers = await Promise.all([
      a.engine.acknowledge(fromA.id, pilot, a.clock.now),
      b.engine.acknowledge(fromA.id, { name: "sgt.patel", address: "10.0.0.8" }, b.clock.now + 5),
    ]);
    const by = answers.map((r) => (r.ok ? r.value.acknowledgedBy : null));
    expect(by[0]).toBe(by[1]);
    expect(a.audited.length + b.audited.length).toBe(1);
    // A later state written by the server that raised it keeps the acknowledgement it did not see.
    a.run([atAltitude(v, 130)]);
    await a.engine.flush();
    expect(await a.store.get(fromA.id)).toMatchObject({ acknowledgedBy: by[0] });
  });

  it("survives a restart: ids go on, alerts active at the stop are closed as cleared at restart", async () => {
    const sql = await ctx.open();
    const first = await alertHarness({ sql });
    first.run([atAltitude(v, 125)]);
    first.hold(atAltitude(v, 100), 3100);
    first.run([withBattery(v, 25)]);
    const [altitude, battery] = first.alerts();
    await first.engine.stop();

    const second = await alertHarness({ sql });
    const recent = second.engine.recent();
    expect(recent.map((a) => a.id)).toEqual([battery?.id, altitude?.id]);
    expect(recent[0]).toMatchObject({ rule: "battery_low", clearReason: "restart", text: "Battery low: 25 % (below 30 %)" });
    expect(recent[0]?.clearedAt).toBe(second.clock.now);
    expect(recent[1]).toMatchObject({ rule: "altitude_limit", clearReason: "ended" });
    // Still below threshold after the restart: a new episode, a new id after the old ones.
    second.run([withBattery(v, 25)]);
    expect(second.alerts("battery_low")[0]?.id).toBeGreaterThan(battery?.id ?? Infinity);
    // An alert from before the restart can still be acknowledged by its id.
    expect(await second.engine.acknowledge(altitude?.id ?? 0, pilot, second.clock.now)).toMatchObject({ ok: true });
  });

  it("servers sharing the database: a restart closes the alerts its own server raised, never another server's", async () => {
    const sql = await ctx.open();
    const a = await alertHarness({ sql, server: "server-a" });
    const b = await alertHarness({ sql, server: "server-b" });
    a.run([withBattery(v, 25)]);
    b.run([withBattery({ ...v, key: "2:1", sysid: 2 }, 24)]);
    const [fromA] = a.alerts("battery_low");
    const [fromB] = b.alerts("battery_low");
    await Promise.all([a.engine.stop(), b.engine.stop()]);
    await ctx.exec(sql, "INSERT INTO alerts (id, vehicle, rule, severity, text, count, raised_at, updated_at) VALUES (999999, '3:1', 'battery_low', 'warning', 'from before', 1, 1, 1)");

    const again = await alertHarness({ sql, server: "server-a" });
    expect(await again.store.get(fromA!.id)).toMatchObject({ clearReason: "restart", clearedAt: again.clock.now });
    expect(await again.store.get(999999)).toMatchObject({ clearReason: "restart" });
    expect(await again.store.get(fromB!.id)).toMatchObject({ clearedAt: null, clearReason: null });
  });

  it("keeps raising while the database is away, and writes the alerts' newest states when it is back", async () => {
    const sql = await ctx.open();
    const h = await alertHarness({ sql });
    // The store refuses writes to alerts for a while (a full disk, a database restarting).
    await ctx.exec(sql, ctx.engine === "sqlite"
      ? "CREATE TRIGGER refuse BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'disk full'); END"
      : `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse();`);
    h.run([withBattery(v, 25)]);
    h.run([withBattery(v, 22)]);
    const [alert] = h.alerts("battery_low");
    if (!alert) throw new Error("no alert");
    await h.engine.flush();
    expect(h.engine.unwritten.alerts).toBe(1);
    expect(await h.store.get(alert.id)).toBeNull();
    expect(await h.engine.acknowledge(alert.id, pilot, h.clock.now)).toMatchObject({ ok: false, error: { code: "storage_error" } });
    await ctx.exec(sql, ctx.engine === "sqlite" ? "DROP TRIGGER refuse" : "DROP TRIGGER refuse ON alerts");
    await h.engine.stop();
    expect(h.engine.unwritten.alerts).toBe(0);
    expect(await h.store.get(alert.id)).toMatchObject({ text: "Battery low: 22 % (below 30 %)" });
  });
});

describe("recent (snapshot on connect)", () => {
  it("lists alerts needing attention and the newest others, newest first, bounded", async () => {
    const h = await alertHarness({ tuning: { recentOthers: 2 } });
    for (let i = 0; i < 5; i++) {
      h.run([atAltitude(v, 125)]);
      h.hold(atAltitude(v, 100), 3100);
      const id = h.alerts().at(-1)?.id ?? 0;
      await h.engine.acknowledge(id, pilot, h.clock.now);
    }
    h.run([withBattery(v, 25)]); // active, not acknowledged
    const recent = h.engine.recent();
    expect(recent.map((a) => a.rule)).toEqual(["battery_low", "altitude_limit", "altitude_limit"]);
    expect(recent.map((a) => a.id)).toEqual([...recent.map((a) => a.id)].sort((a, b) => b - a));
  });
});

describe("the ground station's own alerts", () => {
  it("one alert per topic while the problem lasts, its text updated, cleared when it ends", async () => {
    const h = await alertHarness();
    h.engine.system("recording", "Flight recording: disk full (ENOSPC) writing flights/1-1", h.clock.now);
    h.engine.system("recording", "Flight recording: disk full (ENOSPC) writing flights/1-1", h.clock.now + 1000);
    h.engine.system("recording", "Flight recording: 12 MiB waiting in memory", h.clock.now + 2000);
    const alerts = h.alerts("recording_failed");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ key: "0:0", severity: "critical", text: "Flight recording: 12 MiB waiting in memory", clearedAt: null });
    h.engine.system("recording", null, h.clock.now + 3000);
    expect(h.emitted.at(-1)).toMatchObject({ rule: "recording_failed", clearedAt: h.clock.now + 3000, clearReason: "ended" });
    h.engine.system("series", null, h.clock.now + 4000);
    expect(h.alerts("series_failed")).toHaveLength(0);
  });
});
