import { describe, expect, it } from "vitest";
import { MissionServer } from "./server";
import { FakeGcs, FakeVehicle } from "../../../test/support/sitl/mission-host";
import type { RawFields } from "../../../server/mavlink/index";

const HOME_ITEM = { seq: 0, frame: 0, command: 16, current: 1, autocontinue: 1, x: 515006900, y: -1217100, z: 6.4 };
const TAKEOFF = { seq: 1, frame: 6, command: 22, autocontinue: 1, param4: Number.NaN, z: 40 };
/** The Westminster plan's hold over the bridge: QGroundControl writes its unset param4 as null, i.e. NaN. */
const LOITER = { seq: 2, frame: 6, command: 19, autocontinue: 1, param1: 20, param4: Number.NaN, x: 515010200, y: -1227000, z: 45 };

function setup() {
  const vehicle = new FakeVehicle();
  const server = new MissionServer(vehicle);
  const gcs = new FakeGcs();
  const send = (name: string, fields: RawFields = {}): { name: string; fields: RawFields }[] => {
    server.handle(gcs.packet(name, fields));
    return vehicle.messages();
  };
  return { vehicle, server, send };
}

describe("the simulator refuses and stores items as ArduPilot does", () => {
  it("refuses a NaN where sanity_check_params does not allow it with INVALID_PARAM4, ending the upload", () => {
    const { send, server } = setup();
    send("MISSION_COUNT", { count: 3 });
    send("MISSION_ITEM_INT", HOME_ITEM);
    // NaN in TAKEOFF's param4 is allowed.
    expect(send("MISSION_ITEM_INT", TAKEOFF)).toEqual([{ name: "MISSION_REQUEST", fields: expect.objectContaining({ seq: 2 }) }]);
    expect(send("MISSION_ITEM_INT", LOITER)).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 9, target_system: 255, target_component: 190 }) },
    ]);
    expect(server.receiving).toBe(false);
    // The upload is over: the same item again is one nobody asked for.
    expect(send("MISSION_ITEM_INT", { ...LOITER, param4: 0 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 1 }) },
    ]);
    // As ArduPilot: the items stored before the refusal stay (home and the take-off).
    expect(server.items().map((i) => i.command)).toEqual([16, 22]);
  });

  it("truncates the stored mission at MISSION_COUNT and stores items as they come: a failed upload leaves new then old", () => {
    const { send, server } = setup();
    const old = [HOME_ITEM, { ...TAKEOFF, param4: 0, z: 10 }, { ...LOITER, param4: 0 }, { ...LOITER, seq: 3, param4: 0, param1: 5 }];
    send("MISSION_COUNT", { count: 4 });
    for (const item of old) send("MISSION_ITEM_INT", item);
    expect(server.items().map((i) => i.command)).toEqual([16, 22, 19, 19]);
    // A new upload of 3 items refused at its third: the stored list is cut to 3, items 0 and 1 are the new ones.
    send("MISSION_COUNT", { count: 3 });
    send("MISSION_ITEM_INT", HOME_ITEM);
    send("MISSION_ITEM_INT", { ...TAKEOFF, z: 60 });
    expect(send("MISSION_ITEM_INT", LOITER)).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 9 }) }]);
    const kept = server.items();
    expect(kept.map((i) => i.command)).toEqual([16, 22, 19]);
    expect(kept[1]!.z).toBe(60);
    expect(kept[2]!.param1).toBe(20);
  });

  it("refuses a located item in a frame AP_Mission does not take, and a DO_JUMP to nowhere", () => {
    const { send } = setup();
    send("MISSION_COUNT", { count: 2 });
    send("MISSION_ITEM_INT", HOME_ITEM);
    expect(send("MISSION_ITEM_INT", { ...LOITER, seq: 1, param4: 0, frame: 1 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 2 }) },
    ]);
    send("MISSION_COUNT", { count: 2 });
    send("MISSION_ITEM_INT", HOME_ITEM);
    expect(send("MISSION_ITEM_INT", { seq: 1, frame: 2, command: 177, param1: 5, param2: 1 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 1 }) },
    ]);
  });

  it("gives LOITER_TIME back with param3 +1 and param4 0 (a download of what it stored)", () => {
    const { send } = setup();
    send("MISSION_COUNT", { count: 3 });
    send("MISSION_ITEM_INT", HOME_ITEM);
    send("MISSION_ITEM_INT", TAKEOFF);
    expect(send("MISSION_ITEM_INT", { ...LOITER, param3: 0, param4: 0 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 0 }) },
    ]);
    const [item] = send("MISSION_REQUEST_INT", { seq: 2 });
    expect(item).toEqual({ name: "MISSION_ITEM_INT", fields: expect.objectContaining({
      frame: 3, command: 19, param1: 20, param2: 0, param3: 1, param4: 0, x: 515010200, y: -1227000, z: 45,
    }) });
    expect(send("MISSION_REQUEST_INT", { seq: 1 })[0]!.fields).toMatchObject({ param4: 0, frame: 3 });
  });

  it("counts no mission storage before it is ready: NO_SPACE and 'Only 0 items are supported'", () => {
    const { send, vehicle, server } = setup();
    vehicle.ready = false;
    server.handle(new FakeGcs().packet("MISSION_COUNT", { count: 3 }));
    expect(vehicle.take()).toEqual([
      { kind: "msg", name: "MISSION_ACK", fields: expect.objectContaining({ type: 4 }) },
      { kind: "text", severity: 4, text: "Only 0 items are supported" },
    ]);
    // Clearing needs no storage; fences and rally points have their own.
    expect(send("MISSION_COUNT", { count: 0 })).toEqual([{ name: "MISSION_ACK", fields: expect.objectContaining({ type: 0 }) }]);
    expect(send("MISSION_COUNT", { count: 1, mission_type: 2 })).toEqual([
      { name: "MISSION_REQUEST", fields: expect.objectContaining({ seq: 0, mission_type: 2 }) },
    ]);
    vehicle.ready = true;
    expect(send("MISSION_COUNT", { count: 3 })).toEqual([{ name: "MISSION_REQUEST", fields: expect.objectContaining({ seq: 0 }) }]);
  });
});
