import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { mergeVehicle } from "../../server/protocol";
import type { Alert, BatchedEvent, LinkEvent, SessionUser, StatusText, VehicleKey, VehicleState } from "../../server/protocol";
import { RealtimeServer } from "../../server/realtime";
import type { CommandHandlers, LiveSource } from "../../server/realtime";
import { emptyVehicle } from "../../server/vehicles";
import { openSocket, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";

const log = pino({ level: "silent" });
const T0 = 1_700_000_000_000;
const user = { name: "room", roles: ["observer"] } as unknown as SessionUser;

/** A source with one vehicle that changes whenever asked to: each tick then has a frame. */
class OneVehicle implements LiveSource {
  time = T0;
  moved = false;
  private said = false;
  constructor(private vehicle: VehicleState) {}
  /** A status text from the vehicle: in its state at once, among the changed at the next tick. */
  say(text: StatusText): void {
    this.vehicle = { ...this.vehicle, statusTexts: [...this.vehicle.statusTexts, text] };
    this.said = true;
  }
  now(): number { return this.time; }
  snapshot(): VehicleState[] { return [this.vehicle]; }
  changed(): VehicleState[] {
    this.time += 100;
    if (this.said) {
      this.said = false;
      return [this.vehicle];
    }
    if (!this.moved) return [];
    this.moved = false;
    return [{ ...this.vehicle, armed: !this.vehicle.armed, lastUpdate: this.time }];
  }
  links() { return []; }
  trailKeys(): VehicleKey[] { return []; }
  trail(): null { return null; }
  control() { return {}; }
  missions() { return {}; }
  alerts() { return []; }
}

const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => { for (const c of opened.splice(0).reverse()) await c.close(); });

async function serve(source: LiveSource, screens: number): Promise<{ rt: RealtimeServer; sockets: LiveSocket[]; port: number }> {
  const httpServer = http.createServer();
  // tickMs is long: the tests call tick() themselves.
  const rt = new RealtimeServer(httpServer, source, { tickMs: 3_600_000, refusal: () => null }, {
    authenticate: () => Promise.resolve({ user, sessionHash: "h" }), isLive: () => Promise.resolve(true), ended: () => {},
  }, {} as CommandHandlers, log);
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  opened.push({ close: () => rt.close() });
  const port = (httpServer.address() as AddressInfo).port;
  const sockets = Array.from({ length: screens }, () => openSocket(port, "dmc_session=x"));
  for (const s of sockets) opened.push({ close: () => { s.close(); } });
  await waitFor("every screen", () => sockets.every((s) => s.connected));
  return { rt, sockets, port };
}

function lost(sysid: number): LinkEvent {
  return { key: `${sysid}:1` as VehicleKey, state: "lost", time: T0, heartbeatAgeMs: 5000 + sysid };
}

function linkAlert(sysid: number): Alert {
  return {
    id: `link-${sysid}`, key: `${sysid}:1` as VehicleKey, rule: "link", severity: "critical", text: `vehicle ${sysid}: link lost`,
    phase: "active", raisedAt: T0, updatedAt: T0,
  } as unknown as Alert;
}

describe("events to every screen", () => {
  it("go out batched: a link dropping 150 vehicles is one message to each screen, not 300, in the order they happened", async () => {
    const { rt, sockets } = await serve(new OneVehicle(emptyVehicle({ sysid: 1, compid: 1 }, T0)), 3);
    const got = sockets.map(() => [] as BatchedEvent[][]);
    sockets.forEach((s, i) => s.on("vehicles:events", (events) => got[i]!.push(events)));
    const expected: BatchedEvent[] = [];
    for (let sysid = 1; sysid <= 150; sysid++) {
      rt.linkEvent(lost(sysid));
      rt.alert(linkAlert(sysid));
      expected.push({ kind: "link", event: lost(sysid) }, { kind: "alert", alert: linkAlert(sysid) });
    }
    await waitFor("the batch on every screen", () => got.every((messages) => messages.length >= 1));
    await new Promise((r) => setTimeout(r, 100));
    for (const messages of got) expect(messages).toEqual([expected]);
  });

  it("go out on their own within a few tens of ms, with no tick to carry them", async () => {
    const { rt, sockets } = await serve(new OneVehicle(emptyVehicle({ sysid: 1, compid: 1 }, T0)), 1);
    const got: BatchedEvent[][] = [];
    sockets[0]!.on("vehicles:events", (events) => got.push(events));
    rt.statusText({ key: "1:1", status: { time: T0, severity: "warning", text: "PreArm: Throttle below failsafe" } });
    await waitFor("the status text", () => got.length === 1, 2000);
    expect(got[0]).toEqual([{ kind: "statustext", event: { key: "1:1", status: { time: T0, severity: "warning", text: "PreArm: Throttle below failsafe" } } }]);
  });

  it("that happened before a frame reach the screen before it", async () => {
    const source = new OneVehicle(emptyVehicle({ sysid: 1, compid: 1 }, T0));
    const { rt, sockets } = await serve(source, 1);
    const order: string[] = [];
    sockets[0]!.on("vehicles:events", (events) => order.push(...events.map((e) => e.kind)));
    sockets[0]!.on("vehicles:frame", () => order.push("frame"));
    // The first frame is whole (a screen's first): out of the way before the event.
    rt.tick();
    await waitFor("the first frame", () => order.includes("frame"));
    order.length = 0;
    rt.linkEvent(lost(1));
    source.moved = true;
    rt.tick();
    await waitFor("the event and the frame", () => order.includes("frame") && order.includes("link"));
    expect(order.indexOf("link")).toBeLessThan(order.indexOf("frame"));
  });

  it("a screen joining after a status text came, before the frame that adds it, holds the text once", async () => {
    const source = new OneVehicle(emptyVehicle({ sysid: 1, compid: 1 }, T0));
    const { rt, sockets, port } = await serve(source, 1);
    let frames = 0;
    sockets[0]!.on("vehicles:frame", () => { frames += 1; });
    rt.tick();
    await waitFor("the first frame", () => frames === 1);
    // The vehicle says something: its state holds the text now, no frame has carried it yet.
    const said: StatusText = { time: T0 + 50, severity: "warning", text: "PreArm: Compass not calibrated" };
    source.say(said);
    const late = openSocket(port, "dmc_session=x");
    opened.push({ close: () => { late.close(); } });
    let held: VehicleState | undefined;
    late.on("vehicles:snapshot", (s) => { held = s.vehicles[0]; });
    late.on("vehicles:frame", (f) => { for (const p of f.vehicles) held = mergeVehicle(held, p) ?? held; });
    await waitFor("the late screen's snapshot", () => held !== undefined);
    rt.tick();
    await waitFor("the frame with the text", () => frames === 2);
    await waitFor("the late screen to have it", () => held?.statusTexts.some((t) => t.text === said.text) === true);
    expect(held!.statusTexts.filter((t) => t.text === said.text)).toHaveLength(1);
  });
});
