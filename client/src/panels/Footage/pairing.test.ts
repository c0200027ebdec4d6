import { describe, expect, it } from "vitest";
import { pairFiles } from "./pairing";

const f = (path: string) => ({ name: path.split("/").pop()!, webkitRelativePath: path.includes("/") ? path : "" });
const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name);

describe("pairFiles", () => {
  it("keeps a DJI video with the SRT beside it, whatever the case of the extension", () => {
    const p = pairFiles([f("DJI_0001.MP4"), f("DJI_0001.SRT"), f("DJI_0002.mp4"), f("dji_0002.srt")], false);
    expect(p.uploads.map((u) => [u.file.name, u.sidecar?.name ?? null])).toEqual([["DJI_0001.MP4", "DJI_0001.SRT"], ["DJI_0002.mp4", "dji_0002.srt"]]);
    expect(p.orphanSidecars).toEqual([]);
  });

  it("reports an SRT without its video and never uploads it alone", () => {
    const p = pairFiles([f("DJI_0003.SRT"), f("DJI_0004.MP4")], false);
    expect(names(p.uploads.map((u) => u.file))).toEqual(["DJI_0004.MP4"]);
    expect(p.uploads[0]!.sidecar).toBeNull();
    expect(names(p.orphanSidecars)).toEqual(["DJI_0003.SRT"]);
  });

  it("from an SD-card folder takes the videos only, and pairs within one folder", () => {
    const p = pairFiles([
      f("DCIM/100MEDIA/DJI_0001.MP4"), f("DCIM/100MEDIA/DJI_0001.SRT"), f("DCIM/100MEDIA/DJI_0001.LRF"), f("DCIM/100MEDIA/DJI_0002.JPG"),
      f("DCIM/101MEDIA/DJI_0001.MP4"), f("MISC/DJI_0005.SRT"),
    ], true);
    expect(p.uploads.map((u) => [u.file.webkitRelativePath, u.sidecar?.webkitRelativePath ?? null])).toEqual([
      ["DCIM/100MEDIA/DJI_0001.MP4", "DCIM/100MEDIA/DJI_0001.SRT"],
      ["DCIM/101MEDIA/DJI_0001.MP4", null],
    ]);
    expect(names(p.skipped)).toEqual(["DJI_0001.LRF", "DJI_0002.JPG"]);
    expect(names(p.orphanSidecars)).toEqual(["DJI_0005.SRT"]);
  });

  it("offers any file picked by hand (the server refuses what is not a video, with its reason)", () => {
    expect(names(pairFiles([f("notes.txt")], false).uploads.map((u) => u.file))).toEqual(["notes.txt"]);
  });
});
