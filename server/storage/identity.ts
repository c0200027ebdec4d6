import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The file in the data directory naming the server that owns it. */
export const SERVER_ID_FILE = "server-id";

/**
 * This server's id among those sharing one database: made once per data directory (a UUID), kept in it, and the
 * same across restarts, so what a server wrote (the alerts it raised) is known as its own when it starts again.
 * Read at start only (a few bytes, synchronously, before anything else runs).
 */
export function serverIdOf(dataDir: string): string {
  const file = path.join(dataDir, SERVER_ID_FILE);
  try {
    const id = fs.readFileSync(file, "utf8").trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
    throw new Error(`${file} does not hold a server id (a UUID): remove it to make a new one`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const id = randomUUID();
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${id}\n`, { flag: "wx" });
    return id;
  } catch (err) {
    // Made meanwhile by another start on this directory (the lock is taken first, so only a CLI): read it.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return serverIdOf(dataDir);
    throw err;
  }
}
