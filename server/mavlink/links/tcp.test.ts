import { afterEach, describe, expect, it } from "vitest";
import { createLink } from "./create";
import type { MavLink } from "../types";
import { heartbeats, nextEvent, settle, silent, statusWhere, until, urlOf } from "../../../test/support/mavlink/links";

const open: MavLink[] = [];
const backoff = { initialMs: 50, maxMs: 200 };
function link(url: string, extra: { idleTimeoutMs?: number } = {}): MavLink {
  const l = createLink(url, { logger: silent, backoff, ...extra });
  open.push(l);
  return l;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** A port nobody listens on (just released). */
async function freePort(): Promise<number> {
  const probe = createLink("tcpin://127.0.0.1:0", { logger: silent });
  await probe.start();
  const port = probe.localAddress()!.port;
  await probe.close();
  return port;
}

describe("tcpout", () => {
  it("retries a refused connection until a server appears, and again after the server drops", async () => {
    const port = await freePort();
    const client = link(`tcpout://127.0.0.1:${port}`);
    await client.start();
    const refused = await statusWhere(client, (s) => s.lastError !== null);
    expect(refused).toMatchObject({ connection: "connecting", peers: 0, lastError: `connection refused by 127.0.0.1:${port}` });

    const server = link(`tcpin://127.0.0.1:${port}`);
    const clientUp = nextEvent(client, "peerConnected");
    const serverUp = nextEvent(server, "peerConnected");
    await server.start();
    expect((await clientUp)[0]).toBe(`tcp:127.0.0.1:${port}`);
    await serverUp;
    expect(client.status()).toMatchObject({ connection: "open", peers: 1, lastError: null });

    const atServer = nextEvent(server, "frame");
    client.send(heartbeats(1, 1)[0]!);
    expect((await atServer)[0].sysid).toBe(1);
    const atClient = nextEvent(client, "frame");
    server.send(heartbeats(255, 1)[0]!);
    expect((await atClient)[0].sysid).toBe(255);

    const down = nextEvent(client, "peerDisconnected");
    await server.close();
    const [, reason] = await down;
    expect(reason).toMatch(/closed by 127\.0\.0\.1|reset by 127\.0\.0\.1/);
    expect(client.status().connection).toBe("connecting");

    const again = link(`tcpin://127.0.0.1:${port}`);
    const back = nextEvent(client, "peerConnected");
    await again.start();
    await back;
    const atAgain = nextEvent(again, "frame");
    client.send(heartbeats(2, 1)[0]!);
    expect((await atAgain)[0].sysid).toBe(2);
    expect(client.status().counters.frames).toBe(1);
  });

  it("stops reconnecting on close", async () => {
    const port = await freePort();
    const client = link(`tcpout://127.0.0.1:${port}`);
    await client.start();
    await statusWhere(client, (s) => s.lastError !== null);
    await client.close();
    expect(client.status()).toMatchObject({ connection: "closed", peers: 0 });
    const server = link(`tcpin://127.0.0.1:${port}`);
    await server.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(server.status().peers).toBe(0);
  });

  it("drops a connection that receives nothing for idleTimeoutMs and reconnects", async () => {
    // A server that accepts and then stays silent, as a connection whose NAT mapping died looks from our side.
    const server = link("tcpin://127.0.0.1:0");
    await server.start();
    const ups: string[] = [];
    server.on("peerConnected", (p) => ups.push(p));
    const client = link(urlOf("tcpout", server), { idleTimeoutMs: 300 });
    const up = nextEvent(client, "peerConnected");
    const started = Date.now();
    await client.start();
    const [peer] = await up;
    // Writing does not count as activity: only received bytes do.
    const writer = setInterval(() => client.send(heartbeats(1, 1)[0]!), 50);
    try {
      const [gone, reason] = await nextEvent(client, "peerDisconnected");
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect([gone, reason]).toEqual([peer, "no data for 0.3 s"]);
      expect(client.status()).toMatchObject({ connection: "connecting", peers: 0, lastError: "no data for 0.3 s" });
      await nextEvent(client, "peerConnected");
      await until("the server to see the second connection", () => ups.length === 2);
      expect(client.status()).toMatchObject({ connection: "open", peers: 1, lastError: null });
    } finally {
      clearInterval(writer);
    }
  });

  it("keeps a connection that receives data", async () => {
    const server = link("tcpin://127.0.0.1:0");
    await server.start();
    const client = link(urlOf("tcpout", server), { idleTimeoutMs: 300 });
    const up = nextEvent(client, "peerConnected");
    await client.start();
    await up;
    let downs = 0;
    client.on("peerDisconnected", () => downs++);
    const talker = setInterval(() => server.send(heartbeats(1, 1)[0]!), 100);
    try {
      await settle(900);
    } finally {
      clearInterval(talker);
    }
    expect(downs).toBe(0);
    expect(client.status()).toMatchObject({ connection: "open", peers: 1 });
    expect(client.status().counters.frames).toBeGreaterThanOrEqual(6);
  });

  it("sendTo writes to its one peer, and to no other", async () => {
    const server = link("tcpin://127.0.0.1:0");
    await server.start();
    const client = link(urlOf("tcpout", server));
    const up = nextEvent(client, "peerConnected");
    await client.start();
    const [peer] = await up;
    const [hb] = heartbeats(1, 1);
    client.sendTo("tcp:127.0.0.1:9", hb!);
    expect(client.status().counters.bytesOut).toBe(0);
    const got = nextEvent(server, "frame");
    client.sendTo(peer, hb!);
    expect((await got)[0].sysid).toBe(1);
    expect(client.status().counters.bytesOut).toBe(hb!.length);
  });
});

describe("tcpin", () => {
  it("sendTo writes to that client only", async () => {
    const server = link("tcpin://127.0.0.1:0");
    await server.start();
    const peers: string[] = [];
    const twoUp = nextEvent(server, "peerConnected", (p) => peers.push(p) === 2);
    const a = link(urlOf("tcpout", server));
    const b = link(urlOf("tcpout", server));
    await Promise.all([a.start(), b.start()]);
    await twoUp;
    // Which connection is which: each client says who it is.
    const seen = new Map<number, string>();
    const both = nextEvent(server, "frame", (f, p) => seen.set(f.sysid, p).size === 2);
    a.send(heartbeats(11, 1)[0]!);
    b.send(heartbeats(22, 1)[0]!);
    await both;
    const got: number[] = [];
    a.on("frame", (f) => got.push(f.sysid));
    b.on("frame", (f) => got.push(-f.sysid));
    server.sendTo(seen.get(22)!, heartbeats(255, 1)[0]!);
    server.sendTo("tcp:127.0.0.1:9", heartbeats(254, 1)[0]!);
    await until("the frame at b", () => got.length === 1);
    await settle();
    expect(got).toEqual([-255]);
  });

  it("serves several clients, each framed on its own", async () => {
    const server = link("tcpin://127.0.0.1:0");
    await server.start();
    const peers: string[] = [];
    const twoUp = nextEvent(server, "peerConnected", (p) => peers.push(p) === 2);
    const a = link(urlOf("tcpout", server));
    const b = link(urlOf("tcpout", server));
    const aUp = nextEvent(a, "peerConnected");
    const bUp = nextEvent(b, "peerConnected");
    await Promise.all([a.start(), b.start()]);
    await Promise.all([twoUp, aUp, bUp]);
    expect(new Set(peers).size).toBe(2);
    expect(server.status().peers).toBe(2);

    const [fromA] = heartbeats(11, 1);
    const [fromB] = heartbeats(22, 1);
    const got: Array<[number, string]> = [];
    const both = nextEvent(server, "frame", (f, peer) => got.push([f.sysid, peer]) === 2);
    a.send(fromA!.subarray(0, 5));
    b.send(fromB!.subarray(0, 9));
    await new Promise((r) => setTimeout(r, 20));
    a.send(fromA!.subarray(5));
    b.send(fromB!.subarray(9));
    await both;
    expect(got.map(([s]) => s).sort()).toEqual([11, 22]);
    expect(new Set(got.map(([, p]) => p))).toEqual(new Set(peers));

    const atA = nextEvent(a, "frame");
    const atB = nextEvent(b, "frame");
    server.send(heartbeats(255, 1)[0]!);
    expect((await atA)[0].sysid).toBe(255);
    expect((await atB)[0].sysid).toBe(255);

    const gone = nextEvent(server, "peerDisconnected");
    await a.close();
    expect((await gone)[1]).toBe("connection closed by client");
    expect(server.status()).toMatchObject({ peers: 1, counters: { frames: 2 } });
  });
});
