import fs from "node:fs";
import path from "node:path";

/** Under the evidence files' directory: one empty file per server whose files are kept there. */
export const FILES_SERVERS_DIR = "servers";
/** How long the list of servers sharing the directory is reused before it is read again. */
export const FILES_SERVERS_MAX_AGE_MS = 30_000;

const SERVER_ID = /^[0-9a-f-]{36}$/;

/**
 * Says, in the evidence files' directory, that this server keeps its files there. Servers of one deployment that
 * mount the same directory (--files) then know each other's flight files are theirs to read, check and seal; a server
 * whose name is not there keeps its files elsewhere. Synchronous, at start (one small file).
 */
export function joinFilesDir(filesDir: string, serverId: string): void {
  const dir = path.join(filesDir, FILES_SERVERS_DIR);
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(path.join(dir, serverId), "", { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

/**
 * The servers whose evidence files are in this directory (this one among them), read again when older than
 * FILES_SERVERS_MAX_AGE_MS: `ids()` answers at once from what was last read and starts a read in the background.
 */
export class FilesServers {
  private known: readonly string[];
  private readAt: number;
  private reading: Promise<readonly string[]> | null = null;

  constructor(private readonly filesDir: string, own: string, private readonly clock: () => number = Date.now) {
    this.known = [own];
    this.readAt = Number.NEGATIVE_INFINITY;
  }

  ids(): readonly string[] {
    if (this.clock() - this.readAt > FILES_SERVERS_MAX_AGE_MS) void this.refresh().catch(() => undefined);
    return this.known;
  }

  /** Reads the directory now (before a decision that must not use an old list). */
  refresh(): Promise<readonly string[]> {
    this.reading ??= fs.promises.readdir(path.join(this.filesDir, FILES_SERVERS_DIR)).then((names) => {
      const ids = names.filter((n) => SERVER_ID.test(n));
      // This server is always among them, even should its file be removed by hand.
      this.known = [...new Set([...this.known.slice(0, 1), ...ids])];
      this.readAt = this.clock();
      return this.known;
    }).finally(() => { this.reading = null; });
    return this.reading;
  }
}
