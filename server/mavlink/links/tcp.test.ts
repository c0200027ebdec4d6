import { afterEach, describe, expect, it } from "vitest";
import { createLink } from "./create";
import type { MavLink } from "../types";
import { heartbeats, nextEvent, silent, statusWhere, urlOf } from "./test-helpers";

const open: MavLink[] = [];
const backoff = { initialMs: 50, maxMs: 200 };
function link(url: string): MavLink {
  const l = createLink(url, { logger: silent, backoff });
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
});

describe("tcpin", () => {
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
