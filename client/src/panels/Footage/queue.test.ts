import { describe, expect, it } from "vitest";
import type { FootageUploadStatus } from "../../../../server/protocol";
import { describeRow, newRow, nextSpeed, toStart, withStatus, type UploadRow } from "./queue";

const row = (key: string, phase: UploadRow["phase"], over: Partial<UploadRow> = {}): UploadRow => ({ ...newRow(key, `${key}.MP4`, 1000, null), phase, ...over });
const status = (over: Partial<FootageUploadStatus>): FootageUploadStatus => ({
  id: "a".repeat(32), state: "stored", originalName: "DJI_0001.MP4", sizeBytes: 1000, footageId: 4, message: null, updatedAt: 0, ...over,
});

describe("upload queue", () => {
  it("starts at most three at once, oldest first; a paused or finished one frees its slot", () => {
    const rows = [row("a", "uploading"), row("b", "queued"), row("c", "queued"), row("d", "queued")];
    expect(toStart(rows)).toEqual(["b", "c"]);
    expect(toStart([...rows.slice(0, 1), row("b", "uploading"), row("c", "uploading"), row("d", "queued")])).toEqual([]);
    expect(toStart([row("a", "paused"), row("b", "processing"), row("c", "stored"), row("d", "queued"), row("e", "queued")])).toEqual(["d", "e"]);
  });

  it("smooths the speed", () => {
    expect(nextSpeed(null, 1_000_000, 1000)).toBe(1_000_000);
    expect(nextSpeed(1_000_000, 2_000_000, 1000)).toBe(1_300_000);
    expect(nextSpeed(500, 10, 0)).toBe(500);
  });

  it("says in words where each upload is, with the server's message when refused or a duplicate", () => {
    expect(describeRow(row("a", "uploading", { sent: 512, size: 2048, speed: 1024, resumedFrom: 256 }))).toBe("512 B of 2.0 KB, 1.0 KB/s (resumed at 256 B)");
    expect(describeRow(row("a", "uploading", { sent: 0, resumedFrom: -1 }))).toBe("0 B of 1000 B");
    const refused = withStatus(row("a", "processing"), status({ state: "refused", footageId: null, message: "not a video ffprobe can read: Invalid data" }));
    expect(describeRow(refused)).toBe("Refused: not a video ffprobe can read: Invalid data");
    const dup = withStatus(row("a", "processing"), status({ state: "duplicate", message: 'already stored as footage 4 ("DJI_0001.MP4", uploaded by rita)' }));
    expect([dup.phase, dup.footageId, describeRow(dup)]).toEqual(["duplicate", 4, 'Already stored: already stored as footage 4 ("DJI_0001.MP4", uploaded by rita)']);
    expect(describeRow(withStatus(row("a", "processing"), status({})))).toBe("Stored as footage 4");
    expect(withStatus(row("a", "uploading"), status({ state: "processing", footageId: null })).phase).toBe("processing");
  });
});
