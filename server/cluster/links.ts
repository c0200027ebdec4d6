import type { Logger } from "pino";

/** A link's lease lasts this long unless renewed: a server that dies lets go of its links within it. */
export const LEASE_MS = 6_000;
/** How often a holder renews its leases and a standby server tries to take the links no one holds. */
export const LEASE_TICK_MS = 1_000;
/** The key of a link's lease: who holds the link now. */
export const LEASE_KEY_PREFIX = "dmc:link:";

/** Where the leases are kept (Redis in a deployment; a test's in-memory stand-in). */
export interface LeaseStore {
  /** Takes the lease if no one holds it; whether this server holds it now. */
  acquire(key: string, holder: string, ms: number): Promise<boolean>;
  /** Extends the lease if this server still holds it; false when another does (or no one). */
  renew(key: string, holder: string, ms: number): Promise<boolean>;
  /** Gives the lease up if this server holds it. */
  release(key: string, holder: string): Promise<void>;
}

/** What the leases open and close: a link configured on several servers (server/vehicles' SharedLink). */
export interface LeasedLink {
  id: string;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LinkLeaseStats {
  /** Links this server runs now, and links it stands by for (another server runs them). */
  held: string[];
  standby: string[];
  /** Links this server took while running (a server that held them stopped or died), and links it had to let go. */
  takenOver: number;
  lost: number;
}

interface Entry {
  link: LeasedLink;
  key: string;
  held: boolean;
  /** When the lease was last taken or renewed here: past LEASE_MS without renewal, it is surely gone. */
  renewedAt: number;
}

/**
 * Links that several servers are configured with (a vehicle's tcpout: one connection at a time), each run by one of
 * them. The lease in Redis says which: the holder renews it every second; a server that dies stops renewing, its
 * lease lapses within LEASE_MS, and a standby server takes the link on its next try (so within LEASE_MS +
 * LEASE_TICK_MS, under 10 s). A holder that cannot renew (Redis away) closes the link once the lease may have lapsed,
 * so two servers never talk to one vehicle as the same ground station.
 */
export class LinkLeases {
  private readonly entries: Entry[];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private takenOver = 0;
  private lost = 0;
  /** Rounds run: a link taken after the first is taken over (its holder stopped or died). */
  private rounds = 0;

  constructor(
    private readonly server: string,
    links: readonly LeasedLink[],
    private readonly deps: { store: LeaseStore; now: () => number; log: Logger },
  ) {
    this.entries = links.map((link) => ({ link, key: LEASE_KEY_PREFIX + link.url, held: false, renewedAt: Number.NEGATIVE_INFINITY }));
  }

  /** Takes what it can now (the first server up runs the links), then keeps at it every LEASE_TICK_MS. */
  async start(): Promise<void> {
    if (this.entries.length === 0) return;
    await this.round();
    this.timer = setInterval(() => {
      this.running ??= this.round().finally(() => { this.running = null; });
    }, LEASE_TICK_MS);
  }

  /** One round: renew what is held, try what is not. Public for tests. */
  async round(): Promise<void> {
    const takeover = this.rounds > 0;
    await Promise.all(this.entries.map((e) => this.step(e, takeover)));
    this.rounds += 1;
  }

  stats(): LinkLeaseStats {
    return {
      held: this.entries.filter((e) => e.held).map((e) => e.link.url),
      standby: this.entries.filter((e) => !e.held).map((e) => e.link.url),
      takenOver: this.takenOver,
      lost: this.lost,
    };
  }

  /** Closes the links held here and gives their leases up, so another server takes them at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await Promise.all(this.entries.filter((e) => e.held).map(async (e) => {
      e.held = false;
      await e.link.stop();
      await this.deps.store.release(e.key, this.server).catch((err: unknown) => {
        this.deps.log.warn({ err, link: e.link.url }, "link lease not given up: another server takes the link when it lapses");
      });
    }));
  }

  private async step(e: Entry, takeover: boolean): Promise<void> {
    if (this.stopped) return;
    const { store, now, log } = this.deps;
    if (e.held) {
      let still: boolean;
      try {
        still = await store.renew(e.key, this.server, LEASE_MS);
      } catch (err) {
        if (now() - e.renewedAt < LEASE_MS - LEASE_TICK_MS) return;
        log.error({ err, link: e.link.url }, "link lease could not be renewed: closing the link, another server may hold it now");
        await this.letGo(e);
        return;
      }
      if (still) {
        e.renewedAt = now();
        return;
      }
      log.error({ link: e.link.url }, "link lease lapsed and another server holds it: closing the link here");
      await this.letGo(e);
      return;
    }
    let taken: boolean;
    try {
      taken = await store.acquire(e.key, this.server, LEASE_MS);
    } catch {
      // Redis away: whoever holds it keeps it; tried again next round.
      return;
    }
    if (!taken || this.stopped) return;
    e.held = true;
    e.renewedAt = now();
    if (takeover) this.takenOver += 1;
    log.info({ link: e.link.url, takeover }, takeover
      ? "took over a link no other server holds any more"
      : "holding a link shared with the deployment's other servers");
    try {
      await e.link.start();
    } catch (err) {
      log.error({ err, link: e.link.url }, "link could not be opened: its lease is given up for another server");
      e.held = false;
      await store.release(e.key, this.server).catch(() => undefined);
    }
  }

  private async letGo(e: Entry): Promise<void> {
    e.held = false;
    this.lost += 1;
    await e.link.stop();
  }
}
