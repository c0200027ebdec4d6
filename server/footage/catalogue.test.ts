/** The footage catalogue on each engine: footage rows, uploads, their bounds, and what two servers racing leave. */
import { expect, it } from "vitest";
import type { FootageProbe, FootageSummary } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { FootageCatalogue } from "./catalogue";
import type { UploadLimits } from "./catalogue";
import { FootageDerivativeStore } from "./derivative-store";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const PROBE: FootageProbe = {
  format: "mov,mp4", durationS: 4, video: { codec: "hevc", width: 320, height: 240, fps: 25, frames: 100 }, audio: null,
  creationTime: "2026-11-21T09:00:00Z", timecode: null, location: null, device: { make: "DJI" }, browserPlayable: false,
};
const shaOf = (n: number) => n.toString(16).padStart(64, "0");
const uploadId = (n: number) => n.toString(16).padStart(32, "0");

function original(n: number, at = T0): Omit<FootageSummary, "id" | "deleted"> {
  return { sha256: shaOf(n), sizeBytes: 1000 + n, originalName: `DJI_${n}.MP4`, sidecarName: null, uploadedBy: "rita", uploadedAt: at, probe: PROBE };
}

describeOnEngines("the footage catalogue", ({ open, exec }) => {
  const setUp = async (): Promise<{ sql: AppSql; catalogue: FootageCatalogue }> => {
    const sql = await open();
    return { sql, catalogue: new FootageCatalogue(sql) };
  };

  /** An upload started and stored as footage from original `n`. */
  const stored = async (catalogue: FootageCatalogue, n: number, at = T0): Promise<FootageSummary> => {
    await catalogue.startUpload(uploadId(n), "rita", `DJI_${n}.MP4`, 1000 + n, at);
    const added = await catalogue.addFootage(uploadId(n), original(n, at));
    expect(added.duplicate).toBe(false);
    return added.footage;
  };

  it("follows an upload from its start to the footage it became, keeping what each step set", async () => {
    const { catalogue } = await setUp();
    expect(await catalogue.startUpload(uploadId(1), "rita", "DJI_1.MP4", 1001, T0)).toBeNull();
    expect(await catalogue.upload(uploadId(1))).toEqual({
      id: uploadId(1), owner: "rita", state: "uploading", originalName: "DJI_1.MP4", sizeBytes: 1001, footageId: null, message: null, updatedAt: T0, sha256: null,
    });
    await catalogue.setUpload(uploadId(1), { state: "processing", sha256: shaOf(1) }, T0 + 1);
    // A change without a hash or footage keeps those the row has; the message is the change's.
    await catalogue.setUpload(uploadId(1), { state: "processing", message: "hashing" }, T0 + 2);
    expect(await catalogue.upload(uploadId(1))).toMatchObject({ state: "processing", sha256: shaOf(1), message: "hashing", updatedAt: T0 + 2 });
    expect((await catalogue.unfinished("rita")).map((u) => u.id)).toEqual([uploadId(1)]);
    const added = await catalogue.addFootage(uploadId(1), original(1, T0 + 3));
    expect(added).toMatchObject({ duplicate: false, footage: { sha256: shaOf(1), sizeBytes: 1001, uploadedAt: T0 + 3, deleted: null } });
    const id = added.footage.id;
    expect(await catalogue.upload(uploadId(1))).toMatchObject({ state: "stored", footageId: id, sha256: shaOf(1), message: null, updatedAt: T0 + 3 });
    expect(await catalogue.unfinished()).toEqual([]);
    expect(await catalogue.uploadsOf(id)).toEqual([uploadId(1)]);
    expect(await catalogue.upload(uploadId(99))).toBeNull();
  });

  it("reads footage by id, by hash, a page at a time and all of it; get adds its derivatives and what plays", async () => {
    const { sql, catalogue } = await setUp();
    const a = await stored(catalogue, 1, T0);
    const b = await stored(catalogue, 2, T0 + 1000);
    const c = await stored(catalogue, 3, T0 + 1000);
    expect(await catalogue.get(a.id)).toMatchObject({ id: a.id, probe: PROBE, deleted: null, playback: { source: "none" }, derivatives: [] });
    expect(await catalogue.get(c.id + 10)).toBeNull();
    expect((await catalogue.bySha256(shaOf(2)))?.id).toBe(b.id);
    expect(await catalogue.bySha256(shaOf(9))).toBeNull();
    // Newest first, ties by id.
    expect(await catalogue.list(0, 2)).toMatchObject({ total: 3, offset: 0, limit: 2, footage: [{ id: c.id }, { id: b.id }] });
    expect((await catalogue.list(2, 2)).footage.map((f) => f.id)).toEqual([a.id]);
    expect((await catalogue.all()).map((f) => f.id)).toEqual([a.id, b.id, c.id]);
    // Two browser copies of `a`: the newest plays.
    const rows = new FootageDerivativeStore(sql);
    const copy = (n: number) => rows.add({
      footageId: a.id, kind: "browser", fromS: null, toS: null, parentSha256: a.sha256, sha256: shaOf(100 + n), sizeBytes: 10, command: ["ffmpeg"],
      ffmpegVersion: "ffmpeg version test", probe: { ...PROBE, browserPlayable: true }, requestedBy: "system", requestedAt: T0, madeAt: T0, reason: "copy",
    });
    await copy(1);
    const newest = await copy(2);
    expect(await rows.browserCopy(a.id)).toBe(newest.id);
    expect(await rows.browserCopy(b.id)).toBeNull();
    const withCopies = await catalogue.get(a.id);
    expect(withCopies?.playback).toEqual({ source: "browser", derivativeId: newest.id });
    expect(withCopies?.derivatives?.map((d) => [d.sha256, d.command])).toEqual([[shaOf(101), ["ffmpeg"]], [shaOf(102), ["ffmpeg"]]]);
  });

  it("does not store an original twice: a second upload of it is told which footage it is", async () => {
    const { catalogue } = await setUp();
    const first = await stored(catalogue, 1);
    await catalogue.startUpload(uploadId(2), "sam", "copy.mp4", 1001, T0 + 5);
    const again = await catalogue.addFootage(uploadId(2), { ...original(1, T0 + 5), originalName: "copy.mp4", uploadedBy: "sam" });
    expect(again).toEqual({ duplicate: true, footage: { ...first, originalName: "DJI_1.MP4", uploadedBy: "rita" } });
    // The second upload's row is the caller's to settle (the ingest marks it a duplicate).
    expect(await catalogue.upload(uploadId(2))).toMatchObject({ state: "uploading", footageId: null });
    expect(await catalogue.all()).toHaveLength(1);
  });

  it("keeps the tombstone of deleted footage, once; the database refuses changing or deleting the record", async () => {
    const { sql, catalogue } = await setUp();
    const f = await stored(catalogue, 1);
    await catalogue.markDeleted(f.id, 7, T0 + 10);
    expect((await catalogue.get(f.id))?.deleted).toEqual({ at: T0 + 10, request: 7 });
    await expect(catalogue.markDeleted(f.id, 8, T0 + 20)).rejects.toThrow(/stays deleted/);
    await expect(exec(sql, `UPDATE footage SET sha256 = '${shaOf(5)}' WHERE id = ${f.id}`)).rejects.toThrow(/cannot be changed/);
    await expect(exec(sql, "DELETE FROM footage")).rejects.toThrow(/only through retention/);
  });

  it("bounds the unfinished uploads of a user and of everyone, and says which bound", async () => {
    const { catalogue } = await setUp();
    const limits: UploadLimits = { perUser: 2, total: 3 };
    expect(await catalogue.startUpload(uploadId(1), "rita", "a.mp4", 1, T0, limits)).toBeNull();
    expect(await catalogue.startUpload(uploadId(2), "rita", "b.mp4", 1, T0, limits)).toBeNull();
    expect(await catalogue.limitReached("rita", limits)).toEqual({ limit: "user", unfinished: 2 });
    expect(await catalogue.startUpload(uploadId(3), "rita", "c.mp4", 1, T0, limits)).toEqual({ limit: "user", unfinished: 2 });
    expect(await catalogue.upload(uploadId(3))).toBeNull();
    expect(await catalogue.limitReached("sam", limits)).toBeNull();
    expect(await catalogue.startUpload(uploadId(4), "sam", "d.mp4", 1, T0, limits)).toBeNull();
    expect(await catalogue.startUpload(uploadId(5), "tom", "e.mp4", 1, T0, limits)).toEqual({ limit: "server", unfinished: 3 });
    // A finished upload no longer counts.
    await catalogue.setUpload(uploadId(1), { state: "refused", message: "not a video" }, T0 + 1);
    expect(await catalogue.startUpload(uploadId(5), "tom", "e.mp4", 1, T0, limits)).toBeNull();
    expect((await catalogue.unfinished()).map((u) => u.id).sort()).toEqual([uploadId(2), uploadId(4), uploadId(5)]);
  });

  it("two servers starting uploads at once: no more are recorded than the bounds allow", async () => {
    const sql = await open();
    // Each its own catalogue, as two servers would have; on PostgreSQL each start runs on its own connection.
    const servers = [new FootageCatalogue(sql), new FootageCatalogue(sql)];
    const limits: UploadLimits = { perUser: 4, total: 6 };
    const starts = await Promise.all(Array.from({ length: 12 }, (_, n) =>
      servers[n % 2]!.startUpload(uploadId(n + 1), "rita", `${n}.mp4`, 1, T0, limits)));
    expect(starts.filter((s) => s === null)).toHaveLength(4);
    expect(starts.filter((s) => s !== null).every((s) => s?.limit === "user")).toBe(true);
    expect(await servers[0]!.unfinished("rita")).toHaveLength(4);
    const others = await Promise.all(Array.from({ length: 8 }, (_, n) =>
      servers[n % 2]!.startUpload(uploadId(100 + n), `user${n}`, `${n}.mp4`, 1, T0, limits)));
    expect(others.filter((s) => s === null)).toHaveLength(2);
    expect(others.filter((s) => s !== null).every((s) => s?.limit === "server")).toBe(true);
    expect(await servers[1]!.unfinished()).toHaveLength(6);
  });

  it("the same original stored by several servers at once: one footage row, the others told it is a duplicate of it", async () => {
    const sql = await open();
    const servers = [new FootageCatalogue(sql), new FootageCatalogue(sql), new FootageCatalogue(sql)];
    const uploads = Array.from({ length: 6 }, (_, n) => uploadId(n + 1));
    // Started at once: on PostgreSQL the pool then has a connection ready for each, and the adds below meet.
    await Promise.all(uploads.map((id, n) => servers[n % 3]!.startUpload(id, `user${n}`, `copy${n}.mp4`, 1001, T0)));
    const added = await Promise.all(uploads.map((id, n) => servers[n % 3]!.addFootage(id, { ...original(1, T0 + n), uploadedBy: `user${n}` })));
    const kept = added.filter((a) => !a.duplicate);
    expect(kept).toHaveLength(1);
    const footage = kept[0]!.footage;
    const duplicates = added.filter((a) => a.duplicate).map((a) => a.footage);
    expect(duplicates.map((f) => [f.id, f.sha256, f.uploadedBy])).toEqual(Array(5).fill([footage.id, shaOf(1), footage.uploadedBy]));
    expect((await servers[0]!.all()).map((f) => f.id)).toEqual([footage.id]);
    const states = await Promise.all(uploads.map((id) => servers[0]!.upload(id)));
    expect(states.filter((u) => u?.state === "stored").map((u) => u?.footageId)).toEqual([footage.id]);
    expect(states.filter((u) => u?.state === "uploading")).toHaveLength(5);
  });
});

