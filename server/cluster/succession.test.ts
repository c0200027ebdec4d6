/**
 * Succession to a gone server's open flights, with Redis played by an in-memory store on a hand-driven clock (named
 * as such: test/integration/cluster.test.ts kills a real server process that was recording).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { ALIVE_MS, SETTLE_MS, Succession } from "./succession";
import type { PresenceStore } from "./succession";

class FakePresence implements PresenceStore {
  private readonly keys = new Map<string, { holder: string; until: number }>();
  constructor(private readonly clock: { now: number }) {}
  mark(key: string, ms: number): Promise<void> {
    this.keys.set(key, { holder: "", until: this.clock.now + ms });
    return Promise.resolve();
  }
  present(key: string): Promise<boolean> {
    return Promise.resolve((this.keys.get(key)?.until ?? 0) > this.clock.now);
  }
  async claim(key: string, holder: string, ms: number): Promise<boolean> {
    if (await this.present(key)) return false;
    this.keys.set(key, { holder, until: this.clock.now + ms });
    return true;
  }
}

const log = pino({ level: "silent" });

function setup() {
  const clock = { now: 1_000_000 };
  const store = new FakePresence(clock);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-succession-"));
  const file = path.join(dir, "a.tlog");
  fs.writeFileSync(file, "x");
  const sealed: string[] = [];
  const open = new Set(["A"]);
  const server = (self: string) => new Succession(self, {
    store, now: () => clock.now, log,
    openWork: () => Promise.resolve([...open].map((server) => ({ server, files: () => Promise.resolve([file]) }))),
    succeed: (server) => { sealed.push(`${self} seals ${server}`); open.delete(server); return Promise.resolve(); },
  });
  return { clock, store, file, sealed, server };
}

describe("succession to a gone server's open flights", () => {
  it("seals them once the server stopped saying it is alive and its files stopped changing, by one server only", async () => {
    const { clock, store, sealed, server } = setup();
    const b = server("B");
    const c = server("C");
    await store.mark("dmc:alive:A", ALIVE_MS);
    await b.check();
    expect(b.stats()).toEqual({ succeeded: 0, settling: 0 });
    // A dies: its presence lapses; twice seen gone, SETTLE_MS apart, with its file unchanged.
    clock.now += ALIVE_MS;
    await b.check();
    await c.check();
    expect(sealed).toEqual([]);
    expect(b.stats().settling).toBe(1);
    clock.now += SETTLE_MS;
    await b.check();
    await c.check();
    expect(sealed).toEqual(["B seals A"]);
    expect(b.stats()).toEqual({ succeeded: 1, settling: 0 });
    expect(c.stats()).toEqual({ succeeded: 0, settling: 0 });
  });

  it("leaves a server cut off from Redis alone while its files still grow", async () => {
    const { clock, file, sealed, server } = setup();
    const b = server("B");
    for (let i = 0; i < 5; i++) {
      await b.check();
      fs.appendFileSync(file, "more");
      clock.now += SETTLE_MS;
    }
    expect(sealed).toEqual([]);
    // Its files stop: it is gone.
    await b.check();
    clock.now += SETTLE_MS;
    await b.check();
    expect(sealed).toEqual(["B seals A"]);
  });

  it("forgets a server seen gone that says it is alive again, or whose flights were sealed meanwhile", async () => {
    const { clock, store, sealed, server } = setup();
    const b = server("B");
    await b.check();
    expect(b.stats().settling).toBe(1);
    await store.mark("dmc:alive:A", ALIVE_MS);
    clock.now += SETTLE_MS;
    await b.check();
    expect(b.stats().settling).toBe(0);
    expect(sealed).toEqual([]);
  });

  it("never seals its own", async () => {
    const { clock, sealed, server } = setup();
    const a = server("A");
    await a.check();
    clock.now += SETTLE_MS;
    await a.check();
    expect(sealed).toEqual([]);
  });
});
