/** Sidecars and sync offsets on each engine: added only, bounded, and what two servers racing leave. */
import { expect, it } from "vitest";
import type { FootageProbe, FootageSync } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import type { EngineContext } from "../../test/support/storage/engines";
import { FootageCatalogue } from "./catalogue";
import { FootageSyncStore, MAX_SYNCS_PER_FOOTAGE } from "./sync-store";
import type { Sidecar } from "./sync-store";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const PROBE: FootageProbe = {
  format: "mov,mp4", durationS: 4, video: { codec: "h264", width: 320, height: 240, fps: 25, frames: 100 }, audio: null,
  creationTime: null, timecode: null, location: null, device: {}, browserPlayable: true,
};

/** Two flights (ids 1 and 2) and `count` footage rows; returns the footage ids. */
async function seed(ctx: EngineContext, sql: AppSql, count: number): Promise<number[]> {
  for (const id of [1, 2]) {
    await ctx.exec(sql, `INSERT INTO flights (id, vehicle_key, sysid, compid, vehicle_type, started_at, tlog_path, status, source)
      VALUES (${id}, '1:1', 1, 1, 'copter', 0, 'flights/${id}.tlog', 'imported', 'import')`);
  }
  const catalogue = new FootageCatalogue(sql);
  const ids: number[] = [];
  for (let n = 1; n <= count; n++) {
    const upload = n.toString(16).padStart(32, "0");
    await catalogue.startUpload(upload, "rita", `DJI_${n}.MP4`, 10, T0);
    const added = await catalogue.addFootage(upload, {
      sha256: n.toString(16).padStart(64, "a"), sizeBytes: 10, originalName: `DJI_${n}.MP4`, sidecarName: null, uploadedBy: "rita", uploadedAt: T0, probe: PROBE,
    });
    ids.push(added.footage.id);
  }
  return ids;
}

const offset = (footageId: number, flightId: number, startsAt: number, source: FootageSync["source"] = "manual"): Omit<FootageSync, "id"> => ({
  footageId, flightId, startsAt, source, detail: `${source} offset`, setBy: "rita", setAt: T0, reason: source === "manual" ? "checked against the map" : null,
});

describeOnEngines("the sidecar and sync offset store", (ctx) => {
  it("keeps one sidecar per footage file; a second is refused, however it comes", async () => {
    const sql = await ctx.open();
    const [a, b] = await seed(ctx, sql, 2);
    const store = new FootageSyncStore(sql);
    const sidecar: Sidecar = { footageId: a!, sha256: "c".repeat(64), name: "DJI_1.SRT", sizeBytes: 500, frames: 100, addedBy: "rita", addedAt: T0 };
    expect(await store.sidecar(a!)).toBeNull();
    expect(await store.addSidecar(sidecar)).toBe(true);
    expect(await store.sidecar(a!)).toEqual(sidecar);
    expect(await store.addSidecar({ ...sidecar, sha256: "d".repeat(64), name: "OTHER.SRT" })).toBe(false);
    expect(await store.sidecar(a!)).toEqual(sidecar);
    // Two at once for the other file (two servers): one is kept.
    const racing = await Promise.all(["e", "f", "0", "1"].map((c) => new FootageSyncStore(sql).addSidecar({ ...sidecar, footageId: b!, sha256: c.repeat(64) })));
    expect(racing.filter(Boolean)).toHaveLength(1);
    await expect(ctx.exec(sql, "UPDATE footage_sidecars SET name = 'x'")).rejects.toThrow(/cannot be changed/);
    await expect(ctx.exec(sql, "DELETE FROM footage_sidecars")).rejects.toThrow(/only through retention/);
  });

  it("keeps every offset; the newest per flight is in force; a flight lists its footage with theirs", async () => {
    const sql = await ctx.open();
    const [a, b] = await seed(ctx, sql, 2);
    const store = new FootageSyncStore(sql);
    const first = (await store.add(offset(a!, 1, T0, "srt")))!;
    expect(first).toEqual({ ...offset(a!, 1, T0, "srt"), id: first.id });
    const nudged = (await store.add(offset(a!, 1, T0 + 40)))!;
    const other = (await store.add(offset(a!, 2, T0 + 5000, "camera")))!;
    const onB = (await store.add(offset(b!, 1, T0 + 100, "creation_time")))!;
    expect((await store.history(a!)).map((s) => s.id)).toEqual([first.id, nudged.id, other.id]);
    expect(await store.current(a!)).toEqual([nudged, other]);
    expect(await store.ofFlight(1)).toEqual([nudged, onB]);
    expect(await store.ofFlight(2)).toEqual([other]);
    expect(await store.history(b! + 10)).toEqual([]);
    await expect(ctx.exec(sql, "UPDATE footage_sync SET starts_at = 0")).rejects.toThrow(/cannot be changed/);
    await expect(ctx.exec(sql, "DELETE FROM footage_sync")).rejects.toThrow(/cannot be deleted/);
  });

  it("bounds the offsets of a footage file, also when servers add the last ones at once", async () => {
    const sql = await ctx.open();
    const [a] = await seed(ctx, sql, 1);
    const rows = Array.from({ length: MAX_SYNCS_PER_FOOTAGE - 3 }, (_, n) =>
      `(${a!}, 1, ${T0 + n}, 'manual', 'd', 'script', ${T0}, 'loop')`);
    await ctx.exec(sql, `INSERT INTO footage_sync (footage_id, flight_id, starts_at, source, detail, set_by, set_at, reason) VALUES ${rows.join(", ")}`);
    // Three places left; ten servers (each its own store) add one each at once. Each reads first: on PostgreSQL
    // the pool then has a connection ready for each, and the adds meet.
    const servers = Array.from({ length: 10 }, () => new FootageSyncStore(sql));
    await Promise.all(servers.map((s) => s.current(a!)));
    const added = await Promise.all(servers.map((s, n) => s.add(offset(a!, 2, T0 + n))));
    expect(added.filter((s) => s !== null)).toHaveLength(3);
    expect(await new FootageSyncStore(sql).history(a!)).toHaveLength(MAX_SYNCS_PER_FOOTAGE);
    expect(await new FootageSyncStore(sql).add(offset(a!, 1, T0))).toBeNull();
  });
});
