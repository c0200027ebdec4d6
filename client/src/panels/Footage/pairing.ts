/**
 * Which picked files to upload and which travel with which: a drone's SD card holds DJI_0001.MP4 beside
 * DJI_0001.SRT (its per-frame time and position), plus files that are not footage (.LRF previews, .JPG stills).
 */

/** What the pairing needs of a File (tests pass plain objects). */
export interface PickedFile {
  name: string;
  /** "DCIM/100MEDIA/DJI_0001.MP4" when a folder was picked; "" for a single file. */
  webkitRelativePath?: string;
}

export const VIDEO_EXTENSIONS = ["mp4", "mov", "m4v", "mkv", "webm", "avi", "mts", "m2ts", "ts"] as const;

const extensionOf = (name: string) => (name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "");
const stemOf = (name: string) => (name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : name).toLowerCase();
const dirOf = (f: PickedFile) => {
  const rel = f.webkitRelativePath ?? "";
  return rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")).toLowerCase() : "";
};

export const isSidecar = (name: string) => extensionOf(name) === "srt";
export const isVideoName = (name: string) => (VIDEO_EXTENSIONS as readonly string[]).includes(extensionOf(name));

export interface Pairing<F extends PickedFile> {
  /** Each file to upload, with the sidecar found beside it (same folder, same name but .SRT). */
  uploads: { file: F; sidecar: F | null }[];
  /** Sidecars with no video beside them: named to the reviewer, never uploaded alone. */
  orphanSidecars: F[];
  /** Files of a picked folder that are not footage (previews, stills, the card's own files): left out. */
  skipped: F[];
}

/**
 * Pairs videos with their sidecars. Files picked one by one are all offered (the server refuses what is not a
 * video, with the reason); from a folder only the video files are, since a card holds much that is not footage.
 */
export function pairFiles<F extends PickedFile>(files: readonly F[], fromFolder: boolean): Pairing<F> {
  const sidecars = new Map<string, F>();
  for (const f of files) if (isSidecar(f.name)) sidecars.set(`${dirOf(f)}/${stemOf(f.name)}`, f);
  const used = new Set<F>();
  const uploads: Pairing<F>["uploads"] = [];
  const skipped: F[] = [];
  for (const f of files) {
    if (isSidecar(f.name)) continue;
    if (fromFolder && !isVideoName(f.name)) {
      skipped.push(f);
      continue;
    }
    const sidecar = sidecars.get(`${dirOf(f)}/${stemOf(f.name)}`) ?? null;
    if (sidecar) used.add(sidecar);
    uploads.push({ file: f, sidecar });
  }
  const orphanSidecars = [...sidecars.values()].filter((s) => !used.has(s));
  return { uploads, orphanSidecars, skipped };
}
