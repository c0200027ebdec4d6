/**
 * A finished bundle as one .zip to download: what a prosecutor's office opens without tools (Windows and macOS
 * read zip natively). Stored, not deflated: the videos and .tlogs are already as small as they get, and storing keeps
 * the output size known before the first byte (a Content-Length, so the browser shows real progress) and the CPU
 * to the CRC. yazl streams each file in turn and writes zip64 records past 4 GiB.
 * The zip adds nothing to prove: SHA256SUMS and the manifest inside are what `verify-bundle` checks once unzipped.
 */
import fs from "node:fs";
import path from "node:path";
import { ZipFile } from "yazl";

export interface BundleZip {
  /** The zip's size in bytes, known before it is streamed. */
  size: number;
  stream: NodeJS.ReadableStream;
}

/** Every regular file under `dir`, as paths relative to it with forward slashes, in a stable order. */
async function filesUnder(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.promises.readdir(path.join(dir, rel), { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, r)));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** The bundle folder `dir` zipped under a top folder named `name` (what unzipping makes). */
export async function zipBundle(dir: string, name: string): Promise<BundleZip> {
  const files = await filesUnder(dir);
  const zip = new ZipFile();
  for (const rel of files) {
    const st = await fs.promises.stat(path.join(dir, rel));
    // The bundle's files are read-only evidence copies; the zip says so to whoever unpacks it.
    zip.addFile(path.join(dir, rel), `${name}/${rel}`, { compress: false, mtime: st.mtime, mode: 0o100444 });
  }
  const size = await new Promise<number>((resolve) => {
    zip.end(undefined, ((total: number) => resolve(total)) as () => void);
  });
  return { size, stream: zip.outputStream };
}
