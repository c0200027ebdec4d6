import { describe, expect, it } from "vitest";
import { MissionServer } from "./server";
import { FakeGcs, FakeVehicle } from "../../../test/support/sitl/mission-host";
import type { RawFields } from "../../../server/mavlink/index";

const WP = { frame: 6, command: 16, autocontinue: 1, x: 515082981, y: -1278000, z: 30 };

function setup(opts: { capacity?: number } = {}) {
  const vehicle = new FakeVehicle();
  const server = new MissionServer(vehicle, opts);
  const gcs = new FakeGcs();
  const send = (name: string, fields: RawFields = {}): { name: string; fields: RawFields }[] => {
    server.handle(gcs.packet(name, fields));
    return vehicle.messages();
  };
  return { vehicle, server, gcs, send };
}

function upload(send: ReturnType<typeof setup>["send"], count: number): void {
  send("MISSION_COUNT", { count });
  for (let seq = 0; seq < count; seq++) send("MISSION_ITEM_INT", { ...WP, seq });
}

describe("MissionServer error paths (ArduPilot's MissionItemProtocol)", () => {
  it("refuses a mission bigger than its capacity with NO_SPACE and a warning", () => {
    const { server, gcs, vehicle } = setup({ capacity: 5 });
    server.handle(gcs.packet("MISSION_COUNT", { count: 6 }));
    expect(vehicle.take()).toEqual([
      { kind: "msg", name: "MISSION_ACK", fields: expect.objectContaining({ type: 4, target_system: 255, target_component: 190 }) },
      { kind: "text", severity: 4, text: "Only 5 items are supported" },
    ]);
    expect(server.receiving).toBe(false);
  });

  it("acks an item with the wrong seq INVALID_SEQUENCE and keeps waiting for the right one", () => {
    const { send, server, vehicle } = setup();
    send("MISSION_COUNT", { count: 2 });
    expect(send("MISSION_ITEM_INT", { ...WP, seq: 5 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 13 }) },
    ]);
    expect(server.receiving).toBe(true);
    vehicle.clock = 1500;
    server.tick(vehicle.clock);
    expect(vehicle.messages()).toEqual([{ name: "MISSION_REQUEST", fields: expect.objectContaining({ seq: 0 }) }]);
    send("MISSION_ITEM_INT", { ...WP, seq: 0 });
    expect(send("MISSION_ITEM_INT", { ...WP, seq: 1 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 0 }) },
    ]);
    expect(server.items()).toHaveLength(2);
  });

  it("re-requests every second, then cancels after 8 s of silence and keeps the old mission", () => {
    const { send, server, vehicle } = setup();
    upload(send, 3);
    send("MISSION_COUNT", { count: 4 });
    send("MISSION_ITEM_INT", { ...WP, seq: 0 });
    const requests: number[] = [];
    const texts: string[] = [];
    for (let t = 0; t <= 9000; t += 100) {
      vehicle.clock = t;
      server.tick(t);
      for (const s of vehicle.take()) {
        if (s.kind === "text") texts.push(s.text);
        else requests.push(s.name === "MISSION_REQUEST" ? Number(s.fields.seq) : -Number(s.fields.type));
      }
      for (const m of vehicle.messages()) requests.push(m.name === "MISSION_REQUEST" ? Number(m.fields.seq) : -Number(m.fields.type));
    }
    // Re-sent when more than 1000 ms passed (1100, 2200, ... 7700 on a 100 ms tick), cancelled past 8000 ms.
    expect(requests).toEqual([1, 1, 1, 1, 1, 1, 1, -15]);
    expect(server.receiving).toBe(false);
    expect(server.items()).toHaveLength(3);
    expect(texts).toEqual(["Mission upload timeout"]);
  });

  it("MISSION_CLEAR_ALL empties the mission and acks; refused with ERROR during an upload", () => {
    const { send, server } = setup();
    upload(send, 3);
    send("MISSION_COUNT", { count: 2 });
    expect(send("MISSION_CLEAR_ALL")).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 1 }) }]);
    send("MISSION_ITEM_INT", { ...WP, seq: 0 });
    send("MISSION_ITEM_INT", { ...WP, seq: 1 });
    expect(server.items()).toHaveLength(2);
    expect(send("MISSION_CLEAR_ALL")).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 0 }) }]);
    expect(server.items()).toEqual([]);
    expect(send("MISSION_REQUEST_LIST")).toEqual([{ name: "MISSION_COUNT", fields: expect.objectContaining({ count: 0 }) }]);
  });

  it("MISSION_COUNT(0) clears at once: ACCEPTED and \"Flight plan received\", no requests", () => {
    const { send, server, vehicle } = setup();
    upload(send, 3);
    vehicle.take();
    server.handle(new FakeGcs().packet("MISSION_COUNT", { count: 0 }));
    expect(vehicle.take()).toEqual([
      { kind: "msg", name: "MISSION_ACK", fields: expect.objectContaining({ type: 0 }) },
      { kind: "text", severity: 6, text: "Flight plan received" },
    ]);
    expect(server.items()).toEqual([]);
  });

  it("a new MISSION_COUNT restarts the upload; another GCS is DENIED meanwhile", () => {
    const { send, server, vehicle } = setup();
    send("MISSION_COUNT", { count: 3 });
    send("MISSION_ITEM_INT", { ...WP, seq: 0 });
    const other = new FakeGcs(250, 1);
    server.handle(other.packet("MISSION_COUNT", { count: 1 }));
    expect(vehicle.messages()).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 14, target_system: 250, target_component: 1 }) },
    ]);
    expect(send("MISSION_COUNT", { count: 2 })).toEqual([{ name: "MISSION_REQUEST", fields: expect.objectContaining({ seq: 0 }) }]);
    send("MISSION_ITEM_INT", { ...WP, seq: 0 });
    send("MISSION_ITEM_INT", { ...WP, seq: 1 });
    expect(server.items()).toHaveLength(2);
  });

  it("refuses downloads during an upload, unknown seqs and unknown mission types; stray items get ERROR", () => {
    const { send } = setup();
    upload(send, 2);
    expect(send("MISSION_REQUEST_INT", { seq: 7 })).toEqual([
      { name: "MISSION_COUNT", fields: expect.objectContaining({ count: 2 }) },
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 1 }) },
    ]);
    expect(send("MISSION_ITEM_INT", { ...WP, seq: 0 })).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 1 }) }]);
    expect(send("MISSION_COUNT", { count: 1, mission_type: 9 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 3, mission_type: 9 }) },
    ]);
    send("MISSION_COUNT", { count: 1 });
    expect(send("MISSION_REQUEST_LIST")).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 14 }) }]);
    expect(send("MISSION_REQUEST_INT", { seq: 0 })).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 14 }) }]);
  });

  it("keeps fences and rally points apart from the mission, without a home item", () => {
    const { send, server } = setup();
    upload(send, 2);
    send("MISSION_COUNT", { count: 1, mission_type: 2 });
    send("MISSION_ITEM_INT", { frame: 6, command: 5100, x: 515080000, y: -1270000, z: 20, seq: 0, mission_type: 2 });
    expect(server.items(2)).toEqual([expect.objectContaining({ command: 5100, frame: 3, x: 515080000, missionType: 2 })]);
    expect(server.items()).toHaveLength(2);
    expect(send("MISSION_REQUEST_INT", { seq: 0, mission_type: 2 })).toEqual([
      { name: "MISSION_ITEM_INT", fields: expect.objectContaining({ command: 5100, x: 515080000, mission_type: 2 }) },
    ]);
  });

  it("takes float MISSION_ITEMs (degrees) and warns once per upload", () => {
    const { gcs, server, vehicle } = setup();
    server.handle(gcs.packet("MISSION_COUNT", { count: 2 }));
    server.handle(gcs.packet("MISSION_ITEM", { ...WP, seq: 0, x: 51.5082981, y: -0.1278 }));
    server.handle(gcs.packet("MISSION_ITEM", { ...WP, seq: 1, x: 51.5082981, y: -0.1278 }));
    // float32 degrees carry ~1e-6 deg (about 0.1 m): ArduPilot converts the same lossy way.
    const item = server.items()[1]!;
    expect(item.frame).toBe(3);
    expect(Math.abs(item.x - 515082981)).toBeLessThan(20);
    expect(Math.abs(item.y - -1278000)).toBeLessThan(20);
    const texts = vehicle.sent.flatMap((s) => (s.kind === "text" ? [s.text] : []));
    expect(texts).toEqual(["got MISSION_ITEM; GCS should send MISSION_ITEM_INT", "Flight plan received"]);
  });
});
