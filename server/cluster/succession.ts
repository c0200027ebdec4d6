import fs from "node:fs";
import type { Logger } from "pino";

/** Each server says it is alive this often, for this long. */
export const ALIVE_EVERY_MS = 1_000;
export const ALIVE_MS = 6_000;
/** How often the flights other servers left open are looked at. */
export const SUCCESSION_EVERY_MS = 2_000;
/**
 * A server is gone when it has not said it is alive, and none of its open flights' files has changed, for this long
 * (seen twice, this far apart). A server cut off from Redis but still recording is not gone: its files grow.
 */
export const SETTLE_MS = 3_000;
/** Who seals a gone server's flights: the one server holding this claim (it lapses, should that server die too). */
export const CLAIM_MS = 60_000;
export const ALIVE_KEY_PREFIX = "dmc:alive:";
export const SUCCEED_KEY_PREFIX = "dmc:succeed:";

/** Where the servers say they are alive (Redis in a deployment; a test's in-memory stand-in). */
export interface PresenceStore {
  /** Says `key` for `ms`. */
  mark(key: string, ms: number): Promise<void>;
  present(key: string): Promise<boolean>;
  /** Takes `key` if no one holds it: whether this server has it now. */
  claim(key: string, holder: string, ms: number): Promise<boolean>;
}

/** Another server's flights still marked recording, whose files are in this server's files directory. */
export interface OpenWork {
  server: string;
  /** Absolute paths of its open flights' files (read only when the server has stopped saying it is alive). */
  files(): Promise<string[]>;
}

export interface SuccessionDeps {
  store: PresenceStore;
  /** The other servers with flights still recording whose files are here (a shared --files path). */
  openWork(): Promise<OpenWork[]>;
  /** Seals what a gone server left open (its flights, as interrupted), as its own restart would. */
  succeed(server: string): Promise<void>;
  now: () => number;
  log: Logger;
}

export interface SuccessionStats {
  /** Servers whose open flights this server sealed. */
  succeeded: number;
  /** Other servers with open flights that are gone, waiting to be sure (SETTLE_MS). */
  settling: number;
}

interface Sighting {
  at: number;
  stamps: string;
}

/**
 * Each server says it is alive in Redis; a server that stops saying it, and whose open flights' files stop changing,
 * is gone. One of the servers sharing its files (the first to claim it) then seals its open flights as interrupted,
 * and a vehicle it recorded, heard here, continues as a linked segment. Two signs, not one: a server cut off from
 * Redis stops saying it is alive but still writes the flights it hears on links of its own, and a sealed file must
 * never change after.
 */
export class Succession {
  private aliveTimer: NodeJS.Timeout | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private watching: Promise<void> | null = null;
  private readonly gone = new Map<string, Sighting>();
  private succeeded = 0;

  constructor(private readonly self: string, private readonly deps: SuccessionDeps) {}

  async start(): Promise<void> {
    await this.alive();
    this.aliveTimer = setInterval(() => { void this.alive(); }, ALIVE_EVERY_MS);
    this.watchTimer = setInterval(() => {
      this.watching ??= this.check().catch((err: unknown) => this.deps.log.warn({ err }, "other servers' open flights not looked at: tried again"))
        .finally(() => { this.watching = null; });
    }, SUCCESSION_EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.aliveTimer) clearInterval(this.aliveTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.aliveTimer = null;
    this.watchTimer = null;
    await this.watching;
  }

  stats(): SuccessionStats {
    return { succeeded: this.succeeded, settling: this.gone.size };
  }

  /** One look at the other servers' open flights. Public for tests. */
  async check(): Promise<void> {
    const { store, now, log } = this.deps;
    const work = (await this.deps.openWork()).filter((w) => w.server !== this.self);
    const open = new Set(work.map((w) => w.server));
    for (const server of this.gone.keys()) if (!open.has(server)) this.gone.delete(server);
    for (const w of work) {
      if (await store.present(ALIVE_KEY_PREFIX + w.server)) {
        this.gone.delete(w.server);
        continue;
      }
      const files = await w.files();
      const stamps = await stampsOf(files);
      const seen = this.gone.get(w.server);
      if (!seen || seen.stamps !== stamps) {
        this.gone.set(w.server, { at: now(), stamps });
        continue;
      }
      if (now() - seen.at < SETTLE_MS) continue;
      this.gone.delete(w.server);
      if (!await store.claim(SUCCEED_KEY_PREFIX + w.server, this.self, CLAIM_MS)) continue;
      log.warn({ server: w.server, flights: files.length }, "another server is gone with flights open: sealing them as interrupted");
      await this.deps.succeed(w.server);
      this.succeeded += 1;
    }
  }

  private async alive(): Promise<void> {
    try {
      await this.deps.store.mark(ALIVE_KEY_PREFIX + this.self, ALIVE_MS);
    } catch {
      // Redis away: the other servers wait for this server's files to stop changing too before they act.
    }
  }
}

/** Size and modification time of each file (missing: "-"), as one string to compare. */
async function stampsOf(files: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const file of files) {
    try {
      const s = await fs.promises.stat(file);
      out.push(`${file}:${s.size}:${s.mtimeMs}`);
    } catch {
      out.push(`${file}:-`);
    }
  }
  return out.sort().join("|");
}
