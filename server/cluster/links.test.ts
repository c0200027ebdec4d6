/**
 * Link leases, with Redis played by an in-memory store on a hand-driven clock (named as such:
 * test/integration/cluster.test.ts takes a link over from a killed server through a real redis-server).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { LEASE_MS, LEASE_TICK_MS, LinkLeases } from "./links";
import type { LeasedLink, LeaseStore } from "./links";

/** Redis's SET NX PX and the holder-only renew and release, in memory; `down` makes every call fail. */
class FakeLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { holder: string; until: number }>();
  down = false;
  constructor(private readonly clock: { now: number }) {}
  private live(key: string) {
    const l = this.leases.get(key);
    return l && l.until > this.clock.now ? l : undefined;
  }
  private check(): void {
    if (this.down) throw new Error("connection is closed");
  }
  acquire(key: string, holder: string, ms: number): Promise<boolean> {
    this.check();
    if (this.live(key)) return Promise.resolve(false);
    this.leases.set(key, { holder, until: this.clock.now + ms });
    return Promise.resolve(true);
  }
  renew(key: string, holder: string, ms: number): Promise<boolean> {
    this.check();
    const l = this.live(key);
    if (l?.holder !== holder) return Promise.resolve(false);
    l.until = this.clock.now + ms;
    return Promise.resolve(true);
  }
  release(key: string, holder: string): Promise<void> {
    this.check();
    if (this.live(key)?.holder === holder) this.leases.delete(key);
    return Promise.resolve();
  }
  holder(key: string): string | null {
    return this.live(key)?.holder ?? null;
  }
}

function link(url: string, log: string[], server: string): LeasedLink {
  return {
    id: "link1", url,
    start: () => { log.push(`${server} opens ${url}`); return Promise.resolve(); },
    stop: () => { log.push(`${server} closes ${url}`); return Promise.resolve(); },
  };
}

const URL = "tcpout://10.0.0.9:5760";
const logger = pino({ level: "silent" });

function deployment() {
  const clock = { now: 1_000_000 };
  const store = new FakeLeaseStore(clock);
  const events: string[] = [];
  const server = (name: string) => new LinkLeases(name, [link(URL, events, name)], { store, now: () => clock.now, log: logger });
  /** Rounds of every server LEASE_TICK_MS apart, as their timers run them. */
  const run = async (ms: number, ...servers: LinkLeases[]) => {
    for (let t = 0; t < ms; t += LEASE_TICK_MS) {
      clock.now += LEASE_TICK_MS;
      for (const s of servers) await s.round();
    }
  };
  return { clock, store, events, server, run };
}

describe("link leases", () => {
  it("gives a shared link to one server; the other takes it over within 10 s of the holder's death", async () => {
    const { store, events, server, run } = deployment();
    const a = server("A");
    const b = server("B");
    await a.round();
    await b.round();
    await run(10_000, a, b);
    expect(events).toEqual(["A opens tcpout://10.0.0.9:5760"]);
    expect(a.stats()).toMatchObject({ held: [URL], standby: [], takenOver: 0 });
    expect(b.stats()).toMatchObject({ held: [], standby: [URL] });
    // A dies: it renews no more. B runs the link before 10 s have passed.
    let waited = 0;
    while (store.holder(`dmc:link:${URL}`) !== "B") {
      await run(LEASE_TICK_MS, b);
      waited += LEASE_TICK_MS;
    }
    expect(waited).toBeLessThanOrEqual(LEASE_MS + LEASE_TICK_MS);
    expect(waited).toBeLessThan(10_000);
    expect(events.at(-1)).toBe("B opens tcpout://10.0.0.9:5760");
    expect(b.stats()).toMatchObject({ held: [URL], takenOver: 1 });
  });

  it("hands a link over at once when its holder stops", async () => {
    const { events, server, run } = deployment();
    const a = server("A");
    const b = server("B");
    await a.round();
    await b.round();
    await a.stop();
    await run(LEASE_TICK_MS, b);
    expect(events).toEqual(["A opens tcpout://10.0.0.9:5760", "A closes tcpout://10.0.0.9:5760", "B opens tcpout://10.0.0.9:5760"]);
  });

  it("closes a link it can no longer renew before another server may take it, and takes it back later", async () => {
    const { store, events, server, run } = deployment();
    const a = server("A");
    await a.round();
    store.down = true;
    // Still held while the lease it renewed last cannot have lapsed.
    await run(LEASE_MS - 2 * LEASE_TICK_MS, a);
    expect(a.stats().held).toEqual([URL]);
    await run(LEASE_TICK_MS, a);
    expect(events.at(-1)).toBe("A closes tcpout://10.0.0.9:5760");
    expect(a.stats()).toMatchObject({ held: [], lost: 1 });
    // Closed here before the lease lapses there: never two servers on one vehicle's link.
    store.down = false;
    expect(store.holder(`dmc:link:${URL}`)).toBe("A");
    await run(LEASE_MS, a);
    expect(a.stats()).toMatchObject({ held: [URL], takenOver: 1 });
  });

  it("lets go of a link whose lease another server holds", async () => {
    const { store, events, server, clock } = deployment();
    const a = server("A");
    await a.round();
    clock.now += LEASE_MS;
    expect(await store.acquire(`dmc:link:${URL}`, "B", LEASE_MS)).toBe(true);
    await a.round();
    expect(events.at(-1)).toBe("A closes tcpout://10.0.0.9:5760");
    expect(a.stats()).toMatchObject({ held: [], standby: [URL], lost: 1 });
  });
});
