import { EventEmitter } from "node:events";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import type { LinkStatus } from "../protocol";
import { MavlinkFramer, MavlinkSigner, SignatureVerifier, signingKey, vehicleHeartbeat } from "../mavlink";
import type { Frame, LinkEvents, MavLink, PeerId } from "../mavlink";
import { GroundStation } from "./ground-station";
import { VehicleRegistry } from "./registry";

const KEY1 = signingKey("vehicle one");
const KEY2 = signingKey("vehicle two");

/** A link that keeps what is sent and lets the test deliver frames. */
class FakeLink implements MavLink {
  readonly id = "link1";
  readonly url = "udpin://127.0.0.1:0";
  readonly kind = "udpin" as const;
  readonly sent: Buffer[] = [];
  rejected = 0;
  private readonly events = new EventEmitter();
  start = (): Promise<void> => Promise.resolve();
  close = (): Promise<void> => Promise.resolve();
  send(packet: Buffer): void {
    this.sent.push(packet);
  }
  sendTo(_peer: PeerId, packet: Buffer): void {
    this.sent.push(packet);
  }
  status(): LinkStatus {
    throw new Error("not used");
  }
  on<E extends keyof LinkEvents>(event: E, listener: LinkEvents[E]): void {
    this.events.on(event, listener);
  }
  off<E extends keyof LinkEvents>(event: E, listener: LinkEvents[E]): void {
    this.events.off(event, listener);
  }
  localAddress(): null {
    return null;
  }
  countDecodeError(): void {}
  countSignatureRejected(): void {
    this.rejected++;
  }
  deliver(packet: Buffer, time = Date.now()): void {
    new MavlinkFramer((frame) => this.events.emit("frame", frame, "udp:1.2.3.4:5", time)).push(packet);
  }
}

function framesOf(packets: Buffer[]): Frame[] {
  const frames: Frame[] = [];
  const framer = new MavlinkFramer((f) => frames.push({ ...f, bytes: Buffer.from(f.bytes) }));
  for (const p of packets) framer.push(p);
  return frames;
}

/** A quadcopter's HEARTBEAT from `sysid` (ArduPilot, disarmed, standby). */
const heartbeat = (sysid: number) => vehicleHeartbeat(sysid, 1, 0);

function setup() {
  const log = pino({ level: "silent" });
  const warn = vi.spyOn(log, "warn");
  const registry = new VehicleRegistry({ lostAfterMs: 5000 });
  const gs = new GroundStation(registry, {
    sysid: 255, compid: 190, passive: false, heartbeatIntervalMs: 1000,
    signingKeys: new Map([[1, KEY1], [2, KEY2]]),
  }, log);
  const link = new FakeLink();
  gs.attach(link);
  return { gs, link, warn };
}

/** How a vehicle holding `key` would judge a packet we sent. */
const verdict = (key: Buffer, frame: Frame) => new SignatureVerifier({ keys: () => key, requireSigned: () => true }).check(frame);

describe("GroundStation signing", () => {
  it("sends GCS heartbeats to no peer before a vehicle is admitted, then one signed copy per keyed vehicle", () => {
    const { gs, link } = setup();
    gs.sendOn("link1", [{ kind: "gcsHeartbeat" }]);
    expect(link.sent).toEqual([]);

    // A good signature proves a vehicle at once.
    link.deliver(new MavlinkSigner({ key: KEY1, linkId: 0 }).sign(heartbeat(1)));
    link.deliver(new MavlinkSigner({ key: KEY2, linkId: 0 }).sign(heartbeat(2)));
    link.sent.length = 0;
    gs.sendOn("link1", [{ kind: "gcsHeartbeat" }]);
    const copies = framesOf(link.sent);
    expect(copies.map((f) => f.signed)).toEqual([true, true]);
    expect(copies.map((f) => verdict(KEY1, f))).toEqual(["ok", "bad_signature"]);
    expect(copies.map((f) => verdict(KEY2, f))).toEqual(["bad_signature", "ok"]);

    // An unkeyed vehicle on the same link (proven by two heartbeats): the heartbeat goes unsigned as well.
    link.deliver(heartbeat(3), Date.now());
    link.deliver(heartbeat(3), Date.now() + 1000);
    link.sent.length = 0;
    gs.sendOn("link1", [{ kind: "gcsHeartbeat" }]);
    expect(framesOf(link.sent).map((f) => f.signed)).toEqual([true, true, false]);
    expect(link.rejected).toBe(0);
  });

  it("signs a command with the target's key only, and leaves an unkeyed vehicle's command unsigned", () => {
    const { gs, link } = setup();
    const params: [number, number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0, 0];
    link.deliver(new MavlinkSigner({ key: KEY2, linkId: 0 }).sign(heartbeat(2)));
    link.deliver(heartbeat(3), Date.now());
    link.deliver(heartbeat(3), Date.now() + 1000);
    link.sent.length = 0;
    gs.sendOn("link1", [
      { kind: "commandLong", target: { sysid: 2, compid: 1 }, command: 512, params },
      { kind: "commandLong", target: { sysid: 3, compid: 1 }, command: 512, params },
    ]);
    const [toTwo, toThree] = framesOf(link.sent);
    expect(verdict(KEY2, toTwo!)).toBe("ok");
    expect(toThree!.signed).toBe(false);
  });

  it("drops and counts unsigned or wrongly signed frames from keyed vehicles, warning once a minute, never the key", () => {
    const { link, warn } = setup();
    const t = Date.now();
    link.deliver(heartbeat(1), t);
    link.deliver(new MavlinkSigner({ key: KEY2, linkId: 0 }).sign(heartbeat(1)), t + 1000);
    link.deliver(new MavlinkSigner({ key: KEY2, linkId: 0 }).sign(heartbeat(9)), t + 2000);
    expect(link.rejected).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({ link: "link1", sysid: 1, result: "unsigned" });
    link.deliver(heartbeat(1), t + 61_000);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY1.toString("hex"));
  });
});

describe("GroundStation detach", () => {
  it("stops using a link handed to another server: nothing sent on it, nothing taken from it", () => {
    const { gs, link } = setup();
    link.deliver(new MavlinkSigner({ key: KEY1, linkId: 0 }).sign(heartbeat(1)));
    expect(gs.admission.peerOf("link1", 1, 1)).not.toBeNull();
    gs.detach("link1");
    link.sent.length = 0;
    gs.sendOn("link1", [{ kind: "gcsHeartbeat" }]);
    expect(link.sent).toEqual([]);
    expect(gs.linkStatuses()).toEqual([]);
    const heard: number[] = [];
    gs.onPacket(() => heard.push(1));
    link.deliver(new MavlinkSigner({ key: KEY1, linkId: 0 }).sign(heartbeat(1)));
    expect(heard).toEqual([]);
    // Detaching twice, or a link never attached, does nothing.
    gs.detach("link1");
    gs.detach("link9");
  });
});
