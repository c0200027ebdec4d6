import { createSocket, type Socket } from "node:dgram";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLink } from "./create";
import type { MavLink } from "../types";
import { nodeUdpSocket, type UdpSocketFactory } from "./udp";
import { threadedUdpSockets } from "./udp-thread";
import { startWorker } from "../../worker-entry";
import { heartbeats, nextEvent, settle, silent, until, urlOf } from "../../../test/support/mavlink/links";

const open: MavLink[] = [];
/** The sockets of the suite running: every test runs with Node's own and with the threaded ones the server uses. */
let udpSocket: UdpSocketFactory = nodeUdpSocket;
function link(url: string, extra: { now?: () => number; peerTimeoutMs?: number; maxPeers?: number } = {}): MavLink {
  const l = createLink(url, { logger: silent, udpSocket, ...extra });
  open.push(l);
  return l;
}

/** A plain UDP socket on loopback, standing for any sender (a spoofer, a vehicle, a stranger). */
interface RawSender {
  peer: string;
  port: number;
  got: Buffer[];
  sendTo(port: number, bytes: Buffer): Promise<void>;
}
const rawSockets: Socket[] = [];
async function rawSender(): Promise<RawSender> {
  const socket = createSocket("udp4");
  rawSockets.push(socket);
  const got: Buffer[] = [];
  socket.on("message", (msg) => got.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  return {
    peer: `udp:127.0.0.1:${port}`,
    port,
    got,
    sendTo: (to, bytes) => new Promise((resolve, reject) => {
      socket.send(bytes, to, "127.0.0.1", (err) => (err ? reject(err) : resolve()));
    }),
  };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  for (const s of rawSockets.splice(0)) s.close();
});

const sockets: [string, UdpSocketFactory][] = [
  ["Node's own sockets", nodeUdpSocket],
  ["sockets read by a thread", threadedUdpSockets((data) => startWorker("mavlink/links/udp-worker", data))],
];

describe.each(sockets)("with %s", (_name, factory) => {
  beforeAll(() => { udpSocket = factory; });

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

  describe("udpin against spoofed senders", () => {
    it("answers a sender only after it sent a frame with a good checksum", async () => {
      const server = link("udpin://127.0.0.1:0");
      await server.start();
      const port = server.localAddress()!.port;
      const events: string[] = [];
      server.on("peerConnected", (p) => events.push(`up ${p}`));
      server.on("frame", (f, p) => events.push(`frame ${f.sysid} ${p}`));

      const spoofer = await rawSender();
      await spoofer.sendTo(port, Buffer.from([0x42]));
      await until("the garbage byte", () => server.status().counters.garbageBytes === 1);
      // Half a frame is not proof either.
      const [hb] = heartbeats(1, 1);
      await spoofer.sendTo(port, hb!.subarray(0, 10));
      await until("the half frame", () => server.status().counters.bytesIn === 11);
      expect(server.status().peers).toBe(0);
      server.send(heartbeats(255, 1)[0]!);
      await settle();
      expect(server.status().counters.bytesOut).toBe(0);
      expect(spoofer.got).toEqual([]);
      expect(events).toEqual([]);

      // The rest of the frame: now it is a peer, announced before its first frame.
      const up = nextEvent(server, "peerConnected");
      await spoofer.sendTo(port, hb!.subarray(10));
      expect((await up)[0]).toBe(spoofer.peer);
      await until("the frame", () => events.length === 2);
      expect(events).toEqual([`up ${spoofer.peer}`, `frame 1 ${spoofer.peer}`]);
      expect(server.status().peers).toBe(1);
      const [gcsHb] = heartbeats(255, 1);
      server.send(gcsHb!);
      await until("the reply", () => spoofer.got.length === 1);
      expect(spoofer.got[0]!.equals(gcsHb!)).toBe(true);
    });

    it("sendTo reaches that peer only, and nobody for a peer it does not have", async () => {
      const server = link("udpin://127.0.0.1:0");
      await server.start();
      const port = server.localAddress()!.port;
      const a = await rawSender();
      const b = await rawSender();
      const stranger = await rawSender();
      await stranger.sendTo(port, Buffer.from("not mavlink"));
      for (const [sender, sysid] of [[a, 1], [b, 2]] as const) {
        const up = nextEvent(server, "peerConnected");
        await sender.sendTo(port, heartbeats(sysid, 1)[0]!);
        await up;
      }
      const [gcsHb] = heartbeats(255, 1);
      server.sendTo(b.peer, gcsHb!);
      server.sendTo(stranger.peer, gcsHb!); // heard, but never proven
      server.sendTo("udp:127.0.0.1:9", gcsHb!); // never heard
      await until("the reply", () => b.got.length === 1);
      await settle();
      expect(a.got).toEqual([]);
      expect(stranger.got).toEqual([]);
      expect(server.status().counters.bytesOut).toBe(gcsHb!.length);
    });

    it("drops datagrams from new senders beyond maxPeers of vouched peers, making room from unproven senders first", async () => {
      const server = link("udpin://127.0.0.1:0", { maxPeers: 2 });
      await server.start();
      const port = server.localAddress()!.port;
      const [vehicle, junk, late, later] = await Promise.all([rawSender(), rawSender(), rawSender(), rawSender()]);
      const frames: string[] = [];
      server.on("frame", (_f, p) => frames.push(p));

      await vehicle.sendTo(port, heartbeats(1, 1)[0]!);
      await junk.sendTo(port, Buffer.from([1, 2, 3]));
      await until("both", () => server.status().counters.bytesIn > 0 && frames.length === 1);
      await until("the junk", () => server.status().counters.garbageBytes === 3);
      // The table is full (one peer, one unproven): the unproven one makes room.
      const up = nextEvent(server, "peerConnected");
      await late.sendTo(port, heartbeats(2, 1)[0]!);
      expect((await up)[0]).toBe(late.peer);
      expect(server.status().peers).toBe(2);

      // Full of peers that host vehicles: new senders are not read at all.
      server.retainPeer?.(vehicle.peer, true);
      server.retainPeer?.(late.peer, true);
      const bytesIn = server.status().counters.bytesIn;
      await later.sendTo(port, heartbeats(3, 1)[0]!);
      await junk.sendTo(port, heartbeats(4, 1)[0]!);
      await until("two drops", () => server.status().counters.droppedDatagrams === 2);
      await settle();
      expect(server.status()).toMatchObject({ peers: 2, counters: { bytesIn, frames: 2 } });
      expect(frames).toEqual([vehicle.peer, late.peer]);
      server.send(heartbeats(255, 1)[0]!);
      await until("the replies", () => vehicle.got.length === 1 && late.got.length === 1);
      expect(later.got).toEqual([]);
      expect(junk.got).toEqual([]);
    });

    it("makes room from proven peers that host no vehicle, least recently heard first, never from vouched ones", async () => {
      const server = link("udpin://127.0.0.1:0", { maxPeers: 2 });
      await server.start();
      const port = server.localAddress()!.port;
      const [vehicle, stranger, newcomer] = await Promise.all([rawSender(), rawSender(), rawSender()]);
      await vehicle.sendTo(port, heartbeats(1, 1)[0]!);
      await until("the vehicle", () => server.status().peers === 1);
      await stranger.sendTo(port, heartbeats(7, 1)[0]!);
      await until("the stranger", () => server.status().peers === 2);
      server.retainPeer?.(vehicle.peer, true);
      const gone = nextEvent(server, "peerDisconnected");
      const up = nextEvent(server, "peerConnected");
      await newcomer.sendTo(port, heartbeats(2, 1)[0]!);
      expect((await gone)[0]).toBe(stranger.peer);
      expect((await up)[0]).toBe(newcomer.peer);
      expect(server.status()).toMatchObject({ peers: 2, counters: { droppedDatagrams: 0 } });
    });

    it("forgets an unproven sender silent for the timeout, with the bytes its framer held", async () => {
      let clock = 1_000_000;
      const server = link("udpin://127.0.0.1:0", { now: () => clock, peerTimeoutMs: 30_000 });
      await server.start();
      const port = server.localAddress()!.port;
      const sender = await rawSender();
      const [hb1, hb2] = heartbeats(1, 2);
      await sender.sendTo(port, hb1!.subarray(0, 10));
      await until("the half frame", () => server.status().counters.bytesIn === 10);
      clock += 31_000;
      const frames: number[] = [];
      server.on("frame", (f) => frames.push(f.seq));
      await sender.sendTo(port, Buffer.concat([hb1!.subarray(10), hb2!]));
      await until("the next frame", () => frames.length > 0);
      await settle();
      expect(frames).toEqual([1]); // the first frame's tail alone is garbage
      expect(server.status().counters).toMatchObject({ frames: 1, garbageBytes: hb1!.length - 10 });
    });

    it("sweeps a silent peer away without waiting for its next datagram", async () => {
      const server = link("udpin://127.0.0.1:0", { peerTimeoutMs: 60 });
      await server.start();
      const sender = await rawSender();
      const up = nextEvent(server, "peerConnected");
      await sender.sendTo(server.localAddress()!.port, heartbeats(1, 1)[0]!);
      await up;
      const [peer, reason] = await nextEvent(server, "peerDisconnected");
      expect(peer).toBe(sender.peer);
      expect(reason).toMatch(/^silent for \d+ s$/);
      expect(server.status().peers).toBe(0);
    });
  });

  describe("udpout against strangers", () => {
    it("reads only datagrams from its target, even when the target is a host name", async () => {
      const vehicle = await rawSender();
      const client = link(`udpout://localhost:${vehicle.port}`);
      const up = nextEvent(client, "peerConnected");
      await client.start();
      const [peer] = await up;
      expect(peer).toBe(`udp:localhost:${vehicle.port}`);
      const clientPort = client.localAddress()!.port;
      const frames: Array<[number, string]> = [];
      client.on("frame", (f, p) => frames.push([f.sysid, p]));

      const stranger = await rawSender();
      await stranger.sendTo(clientPort, heartbeats(66, 1)[0]!);
      await until("the stranger's drop", () => client.status().counters.droppedDatagrams === 1);
      await vehicle.sendTo(clientPort, heartbeats(1, 1)[0]!);
      await until("the vehicle's frame", () => frames.length === 1);
      expect(frames).toEqual([[1, peer]]);
      expect(client.status().counters).toMatchObject({ frames: 1, droppedDatagrams: 1, bytesIn: heartbeats(1, 1)[0]!.length });

      const [gcsHb] = heartbeats(255, 1);
      client.sendTo(peer, gcsHb!);
      client.sendTo(stranger.peer, gcsHb!);
      await until("the packet at the vehicle", () => vehicle.got.length === 1);
      await settle();
      expect(stranger.got).toEqual([]);
      expect(client.status().counters.bytesOut).toBe(gcsHb!.length);
    });

    it("starts clean after close: a frame half received before is not completed after", async () => {
      const vehicle = await rawSender();
      const client = link(`udpout://127.0.0.1:${vehicle.port}`);
      await client.start();
      const [hb1, hb2] = heartbeats(1, 2);
      await vehicle.sendTo(client.localAddress()!.port, hb1!.subarray(0, 10));
      await until("the half frame", () => client.status().counters.bytesIn === 10);
      await client.close();
      await client.start();
      const got = nextEvent(client, "frame");
      await vehicle.sendTo(client.localAddress()!.port, Buffer.concat([hb1!.subarray(10), hb2!]));
      expect((await got)[0].seq).toBe(1);
      expect(client.status().counters).toMatchObject({ frames: 1, garbageBytes: hb1!.length - 10 });
    });
  });
});
