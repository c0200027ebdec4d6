import { describe, expect, it } from "vitest";
import { MissionServer } from "./server";
import type { MissionServerOptions } from "./server";
import { FakeGcs, FakeVehicle } from "../../../test/support/sitl/mission-host";
import type { RawFields } from "../../../server/mavlink/index";

const WP = { frame: 6, command: 16, autocontinue: 1, x: 515082981, y: -1278000, z: 30 };

function setup(opts: MissionServerOptions) {
  const vehicle = new FakeVehicle();
  const server = new MissionServer(vehicle, opts);
  const gcs = new FakeGcs();
  const send = (name: string, fields: RawFields = {}): { name: string; fields: RawFields }[] => {
    server.handle(gcs.packet(name, fields));
    return vehicle.messages();
  };
  return { server, send };
}

describe("MissionServer options for other vehicles than the recorded ArduCopter", () => {
  it("asks for upload items with MISSION_REQUEST_INT when told to", () => {
    const { server, send } = setup({ requestInt: true });
    expect(send("MISSION_COUNT", { count: 2, mission_type: 1 })).toEqual([
      { name: "MISSION_REQUEST_INT", fields: expect.objectContaining({ seq: 0, mission_type: 1 }) },
    ]);
    expect(send("MISSION_ITEM_INT", { ...WP, command: 5100, seq: 0, mission_type: 1 })).toEqual([
      { name: "MISSION_REQUEST_INT", fields: expect.objectContaining({ seq: 1 }) },
    ]);
    expect(send("MISSION_ITEM_INT", { ...WP, command: 5100, seq: 1, mission_type: 1 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 0, mission_type: 1 }) },
    ]);
    expect(server.items(1)).toHaveLength(2);
  });

  it("refuses every upload with the given MAV_MISSION_RESULT and keeps its lists", () => {
    const { server, send } = setup({ refuseUploads: 14 });
    expect(send("MISSION_COUNT", { count: 3 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 14, mission_type: 0 }) },
    ]);
    expect(send("MISSION_COUNT", { count: 0 })).toEqual([
      { name: "MISSION_ACK", fields: expect.objectContaining({ type: 14 }) },
    ]);
    expect(server.receiving).toBe(false);
  });
});
