import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openAppDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import { alertHarness } from "../../test/support/alerts/harness";
import { atAltitude, copter, withBattery } from "../../test/support/alerts/vehicles";

const v = copter();
const pilot = { name: "pc.jones", address: "10.0.0.7" };

describe("acknowledge", () => {
  it("records who acknowledged, audits it, emits the alert, and keeps it active while its condition lasts", async () => {
    const h = alertHarness();
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
    expect(h.store.get(alert.id)).toMatchObject({ text: "Battery low: 23 % (below 30 %)", acknowledgedBy: "pc.jones" });
  });

  it("a second acknowledgement is ok with the alert as it was; unknown and bad ids are refused", async () => {
    const h = alertHarness();
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
    const h = alertHarness();
    h.run([atAltitude(v, 125)]);
    h.hold(atAltitude(v, 100), 3100);
    const id = h.alerts()[0]?.id ?? 0;
    expect(await h.engine.acknowledge(id, pilot, h.clock.now)).toMatchObject({ ok: true, value: { acknowledgedBy: "pc.jones" } });

    const broken = alertHarness({ audit: { append: () => Promise.reject(new Error("disk full")) } });
    broken.run([atAltitude(v, 125)]);
    const brokenId = broken.alerts()[0]?.id ?? 0;
    expect(await broken.engine.acknowledge(brokenId, pilot, broken.clock.now)).toMatchObject({ ok: false, error: { code: "audit_failed" } });
    expect(broken.store.get(brokenId)?.acknowledgedAt).toBeNull();
  });
});

describe("recent (snapshot on connect)", () => {
  it("lists alerts needing attention and the newest others, newest first, bounded", async () => {
    const h = alertHarness({ tuning: { recentOthers: 2 } });
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

describe("history in SQLite", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("survives reopening the database: ids go on, alerts active at the stop are closed as cleared at restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-alerts-"));
    dirs.push(dir);
    const log = pino({ level: "silent" });
    const first = alertHarness({ db: openAppDatabase(dir, log, MIGRATIONS) });
    first.run([atAltitude(v, 125)]);
    first.hold(atAltitude(v, 100), 3100);
    first.run([withBattery(v, 25)]);
    const [altitude, battery] = first.alerts();
    first.db.close();

    const second = alertHarness({ db: openAppDatabase(dir, log, MIGRATIONS) });
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
    second.db.close();
  });
});

describe("the ground station's own alerts", () => {
  it("one alert per topic while the problem lasts, its text updated, cleared when it ends", () => {
    const h = alertHarness();
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
