import pino from "pino";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../migrations";
import { migrate, openDatabase } from "../storage";

const log = pino({ level: "silent" });
const upTo = (version: number) => MIGRATIONS.slice(0, version);

describe("migration 19: footage_sync.source 'camera'", () => {
  it("rebuilds the table keeping every row, its id and the id sequence; the constraint and the write-once triggers hold after", () => {
    const db = openDatabase(":memory:", log);
    migrate(db, upTo(18), log);
    db.prepare(`INSERT INTO flights (id, vehicle_key, sysid, compid, vehicle_type, started_at, tlog_path, status, source)
      VALUES (1, '1/1', 1, 1, 'copter', 0, 'a.tlog', 'imported', 'import')`).run();
    db.prepare(`INSERT INTO footage (id, sha256, size_bytes, original_name, uploaded_by, uploaded_at, probe)
      VALUES (1, '${"a".repeat(64)}', 1, 'CAM.MP4', 'rita', 0, '{}')`).run();
    // Rows of a database from before: ids 1, 2, 5 (one source named the old way).
    const insert = db.prepare("INSERT INTO footage_sync (id, footage_id, flight_id, starts_at, source, detail, set_by, set_at, reason) VALUES (?, 1, 1, ?, ?, 'd', 'rita', 0, NULL)");
    insert.run(1, 1000, "srt");
    insert.run(2, 2000, "camera_messages");
    insert.run(5, 3000, "manual");
    migrate(db, upTo(19), log);
    expect(db.prepare("SELECT id, starts_at AS startsAt, source FROM footage_sync ORDER BY id").all())
      .toEqual([{ id: 1, startsAt: 1000, source: "srt" }, { id: 2, startsAt: 2000, source: "camera" }, { id: 5, startsAt: 3000, source: "manual" }]);
    expect(() => insert.run(6, 0, "camera_messages")).toThrow(/CHECK constraint failed/);
    insert.run(null, 4000, "camera");
    expect(db.prepare("SELECT max(id) AS id FROM footage_sync").get()).toEqual({ id: 6 });
    expect(() => db.prepare("UPDATE footage_sync SET starts_at = 0 WHERE id = 1").run()).toThrow(/cannot be changed/);
    expect(() => db.prepare("DELETE FROM footage_sync WHERE id = 1").run()).toThrow(/cannot be deleted/);
    expect((db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'footage_sync' AND type = 'index' ORDER BY name").all() as { name: string }[]).map((r) => r.name))
      .toEqual(["footage_sync_flight", "footage_sync_footage"]);
    db.close();
  });
});
