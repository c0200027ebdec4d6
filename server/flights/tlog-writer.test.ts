import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeFs } from "./recorder-fs";
import type { RecorderFs } from "./recorder-fs";
import { MemoryBudget, TlogWriter } from "./tlog-writer";

/** The real file system, but each fdatasync waits until the test lets it finish (or fail). */
function heldSyncs() {
  const held: { fd: number; done: (err: NodeJS.ErrnoException | null) => void }[] = [];
  const closed: number[] = [];
  const fsys: RecorderFs = {
    ...nodeFs,
    fdatasync: (fd, done) => { held.push({ fd, done }); },
    closeSync: (fd) => { closed.push(fd); nodeFs.closeSync(fd); },
  };
  return { fsys, held, closed };
}

function tmpFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-tlogw-")), "f.tlog");
}

describe("TlogWriter's periodic sync", () => {
  it("runs off the event loop, one at a time per file, and its failure is reported by the next flush", () => {
    const { fsys, held } = heldSyncs();
    const w = new TlogWriter(fsys, tmpFile(), new MemoryBudget(1 << 20), true);
    w.append(1, Buffer.from([0xfd, 1, 2]));
    w.flush(true);
    w.flush(true);
    expect(held).toHaveLength(1);
    const eio = Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
    held[0]!.done(eio);
    expect(() => w.flush(true)).toThrow(/EIO/);
    w.flush(true);
    expect(held).toHaveLength(2);
  });

  it("keeps the descriptor open until a sync on its way has finished when the file is sealed", () => {
    const { fsys, held, closed } = heldSyncs();
    const file = tmpFile();
    const w = new TlogWriter(fsys, file, new MemoryBudget(1 << 20), true);
    w.append(1, Buffer.from([0xfd, 1, 2]));
    w.flush(true);
    const seal = w.close();
    expect(seal.sizeBytes).toBe(11);
    expect(closed).toEqual([]);
    held[0]!.done(null);
    expect(closed).toEqual([held[0]!.fd]);
    expect(fs.statSync(file).size).toBe(11);
  });
});
