/**
 * The trail points of every vehicle of a file, while it is indexed: kept on disk (one temporary file per vehicle),
 * not in memory, then copied into the index as one section per vehicle. Runs in the index worker (synchronous I/O).
 */
import fs from "node:fs";
import type { TrailPoint, VehicleKey } from "../protocol";
import { TRAIL_POINT_BYTES } from "./index-format";

const FLUSH_POINTS = 4096;
const COPY_CHUNK = 1024 * 1024;

interface Spool {
  file: string;
  fd: number;
  buf: Buffer;
  pending: number;
  count: number;
}

export class TrailSpool {
  private readonly spools = new Map<VehicleKey, Spool>();

  constructor(private readonly base: string) {}

  add(key: VehicleKey, p: TrailPoint): void {
    let s = this.spools.get(key);
    if (!s) {
      const file = `${this.base}.${this.spools.size}`;
      s = { file, fd: fs.openSync(file, "w+"), buf: Buffer.alloc(FLUSH_POINTS * TRAIL_POINT_BYTES), pending: 0, count: 0 };
      this.spools.set(key, s);
    }
    const o = s.pending * TRAIL_POINT_BYTES;
    s.buf.writeDoubleLE(p.lat, o);
    s.buf.writeDoubleLE(p.lon, o + 8);
    s.buf.writeDoubleLE(p.altAmsl, o + 16);
    s.buf.writeDoubleLE(p.time, o + 24);
    s.pending++;
    s.count++;
    if (s.pending === FLUSH_POINTS) this.flush(s);
  }

  /** Appends every vehicle's points to `out` from byte `at`; removes the temporary files. Returns the sections. */
  copyInto(out: number, at: number): { key: string; at: number; count: number }[] {
    const sections: { key: string; at: number; count: number }[] = [];
    const chunk = Buffer.alloc(COPY_CHUNK);
    let pos = at;
    for (const [key, s] of this.spools) {
      this.flush(s);
      sections.push({ key, at: pos, count: s.count });
      const size = s.count * TRAIL_POINT_BYTES;
      for (let read = 0; read < size;) {
        const n = fs.readSync(s.fd, chunk, 0, Math.min(COPY_CHUNK, size - read), read);
        if (n === 0) throw new Error("trail spool cut short");
        fs.writeSync(out, chunk, 0, n, pos);
        read += n;
        pos += n;
      }
      fs.closeSync(s.fd);
      fs.rmSync(s.file, { force: true });
    }
    this.spools.clear();
    return sections;
  }

  private flush(s: Spool): void {
    if (s.pending === 0) return;
    const length = s.pending * TRAIL_POINT_BYTES;
    fs.writeSync(s.fd, s.buf, 0, length, (s.count - s.pending) * TRAIL_POINT_BYTES);
    s.pending = 0;
  }
}
