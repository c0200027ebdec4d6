import { afterEach, describe, expect, it } from "vitest";
import { createLink } from "./create";
import type { MavLink } from "../types";
import { heartbeats, nextEvent, silent, urlOf } from "./test-helpers";

const open: MavLink[] = [];
function link(url: string, extra: { now?: () => number; peerTimeoutMs?: number } = {}): MavLink {
  const l = createLink(url, { logger: silent, ...extra });
  open.push(l);
  return l;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe("udpin <-> udpout", () => {
  it("exchanges frames both ways and counts them", async () => {
    const server = link("udpin://127.0.0.1:0");
    await server.start();
    expect(server.status()).toMatchObject({ kind: "udpin", connection: "open", peers: 0, lastError: null });
    const client = link(urlOf("udpout", server));
    const announced = nextEvent(client, "peerConnected");
    await client.start();
    expect((await announced)[0]).toBe(`udp:127.0.0.1:${server.localAddress()!.port}`);

    const [vehicleHb] = heartbeats(1, 1);
    const joined = nextEvent(server, "peerConnected");
    const atServer = nextEvent(server, "frame");
    client.send(vehicleHb!);
    const [frame, peer, time] = await atServer;
    expect((await joined)[0]).toBe(peer);
    expect(peer).toBe(`udp:127.0.0.1:${client.localAddress()!.port}`);
    expect(frame.sysid).toBe(1);
    expect(Math.abs(time - Date.now())).toBeLessThan(1000);

    const [gcsHb] = heartbeats(255, 1);
    const atClient = nextEvent(client, "frame");
    server.send(gcsHb!);
    const [reply, from] = await atClient;
    expect(reply.sysid).toBe(255);
    expect(from).toBe(`udp:127.0.0.1:${server.localAddress()!.port}`);

    expect(server.status()).toMatchObject({ peers: 1 });
    expect(server.status().counters).toMatchObject({ frames: 1, bytesIn: vehicleHb!.length, bytesOut: gcsHb!.length });
    expect(client.status().counters).toMatchObject({ frames: 1, bytesIn: gcsHb!.length, bytesOut: vehicleHb!.length });
    server.countDecodeError();
    expect(server.status().counters.decodeErrors).toBe(1);
  });

  it("frames each sender on its own, even with packets split across datagrams", async () => {
    const server = link("udpin://127.0.0.1:0");
    await server.start();
    const a = link(urlOf("udpout", server));
    const b = link(urlOf("udpout", server));
    await Promise.all([a.start(), b.start()]);
    const [fromA] = heartbeats(11, 1);
    const [fromB] = heartbeats(22, 1);
    const got: number[] = [];
    const both = nextEvent(server, "frame", (f) => {
      got.push(f.sysid);
      return got.length === 2;
    });
    a.send(fromA!.subarray(0, 7));
    b.send(fromB!);
    a.send(fromA!.subarray(7));
    await both;
    expect(got.sort()).toEqual([11, 22]);
    expect(server.status()).toMatchObject({ peers: 2, counters: { frames: 2, crcErrors: 0, garbageBytes: 0 } });
  });

  it("forgets a sender silent for the timeout and announces it again when it comes back", async () => {
    let clock = 1_000_000;
    const server = link("udpin://127.0.0.1:0", { now: () => clock, peerTimeoutMs: 30_000 });
    await server.start();
    const client = link(urlOf("udpout", server));
    await client.start();
    const [hb1, hb2] = heartbeats(1, 2);
    const first = nextEvent(server, "peerConnected");
    client.send(hb1!);
    const [peer] = await first;

    clock += 31_000;
    // Replies go only to senders heard in the last 30 s.
    const before = server.status().counters.bytesOut;
    server.send(hb1!);
    expect(server.status().counters.bytesOut).toBe(before);

    const gone = nextEvent(server, "peerDisconnected");
    const back = nextEvent(server, "peerConnected");
    client.send(hb2!);
    expect(await gone).toEqual([peer, "silent for 31 s"]);
    expect((await back)[0]).toBe(peer);
    expect(server.status().peers).toBe(1);
  });

  it("rejects start when the port is taken, with a readable error", async () => {
    const first = link("udpin://127.0.0.1:0");
    await first.start();
    const second = link(urlOf("udpin", first));
    await expect(second.start()).rejects.toThrow(/address 127\.0\.0\.1:\d+ already in use/);
    expect(second.status()).toMatchObject({ connection: "error", lastError: expect.stringMatching(/already in use/) });
  });

  it("keeps delivering when a listener throws", async () => {
    const server = link("udpin://127.0.0.1:0");
    await server.start();
    const client = link(urlOf("udpout", server));
    await client.start();
    server.on("frame", () => {
      throw new Error("listener bug");
    });
    const got = nextEvent(server, "frame");
    client.send(heartbeats(1, 1)[0]!);
    expect((await got)[0].sysid).toBe(1);
  });
});
