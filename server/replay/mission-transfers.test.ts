import { describe, expect, it } from "vitest";
import type { VehicleKey, VehicleMissionInfo } from "../protocol";
import type { Decoded, Frame, MavMessage } from "../mavlink";
import { MSG_ID } from "../mavlink";
import { MissionTransfers } from "./mission-transfers";

const VEHICLE = { sysid: 1, compid: 1 };
const GCS = { sysid: 255, compid: 190 };

function from(who: { sysid: number; compid: number }, message: MavMessage): Decoded {
  return { ...who, seq: 0, msgid: 0, message };
}
const count = (who: typeof GCS, to: typeof GCS, n: number, missionType = 0) =>
  from(who, { kind: "missionCount", target: to, count: n, missionType });
const item = (who: typeof GCS, to: typeof GCS, seq: number, lat: number, command = 16, missionType = 0, p1 = 0) =>
  from(who, { kind: "missionItem", target: to, seq, missionType, int: true, frame: 3, command, current: 0, autocontinue: 1,
    params: [p1, Number.NaN, 0, 0], x: lat, y: -0.12, z: 30 });
const ack = (who: typeof GCS, to: typeof GCS, result: number, missionType = 0) =>
  from(who, { kind: "missionAck", target: to, result, resultName: result === 0 ? "ACCEPTED" : "NO_SPACE", missionType });

function tracker() {
  const changes: [number, VehicleMissionInfo][] = [];
  const t = new MissionTransfers((k: VehicleKey) => k === "1:1", (time, info) => changes.push([time, info]));
  return { t, changes };
}

/** An upload of `n` waypoints (home first), as both sides appear in a recording this server made. */
function upload(t: MissionTransfers, n: number, result = 0, time = 1000): void {
  t.message(count(GCS, VEHICLE, n), time);
  for (let i = 0; i < n; i++) t.message(item(GCS, VEHICLE, i, 51.5 + i / 1000), time + i + 1);
  t.message(ack(VEHICLE, GCS, result), time + n + 1);
}

describe("the lists on a vehicle from its recorded mission transfers", () => {
  it("an accepted upload is what the vehicle holds, home first, unset params kept as unset", () => {
    const { t, changes } = tracker();
    upload(t, 4);
    expect(changes).toHaveLength(1);
    const [time, info] = changes[0]!;
    expect(time).toBe(1005);
    expect(info).toMatchObject({ key: "1:1", source: "upload", verifiedAt: 1005, by: null });
    expect(info.plan?.home?.lat).toBe(51.5);
    expect(info.plan?.items.map((i) => i.lat)).toEqual([51.501, 51.502, 51.503]);
    expect(info.plan?.items[0]?.params).toEqual([0, null, 0, 0]);
  });

  it("a refused upload leaves the list unknown until a complete download, which needs no closing ack", () => {
    const { t, changes } = tracker();
    upload(t, 3);
    upload(t, 5, 4, 2000);
    expect(changes[1]![1]).toEqual({ key: "1:1", plan: null, verifiedAt: null, source: null, by: null });
    t.message(count(VEHICLE, GCS, 2), 3000);
    t.message(item(VEHICLE, GCS, 0, 51.6), 3001);
    expect(changes).toHaveLength(2);
    t.message(item(VEHICLE, GCS, 1, 51.7), 3002);
    expect(changes[2]![1]).toMatchObject({ source: "download", verifiedAt: 3002 });
    expect(changes[2]![1].plan?.items.map((i) => i.lat)).toEqual([51.7]);
  });

  it("fence and rally lists join the plan; MISSION_CLEAR_ALL accepted empties every list", () => {
    const { t, changes } = tracker();
    upload(t, 2);
    t.message(count(GCS, VEHICLE, 3, 1), 2000);
    // An inclusion polygon of 3 vertices (param1: the vertex count).
    for (let i = 0; i < 3; i++) t.message(item(GCS, VEHICLE, i, 51.5 + i / 100, 5001, 1, 3), 2001 + i);
    expect(changes).toHaveLength(1);
    t.message(ack(VEHICLE, GCS, 0, 1), 2005);
    expect(changes[1]![1].plan?.items).toHaveLength(1);
    expect(changes[1]![1].plan?.fence.polygons).toEqual([{ inclusion: true, points: [0, 1, 2].map((i) => ({ lat: 51.5 + i / 100, lon: -0.12 })) }]);
    const clear: Frame = { msgid: MSG_ID.MISSION_CLEAR_ALL, sysid: 255, compid: 190, seq: 0, payload: Buffer.from([1, 1, 255]), bytes: Buffer.alloc(0) } as unknown as Frame;
    t.clearAll(clear);
    t.message(ack(VEHICLE, GCS, 0, 0), 3000);
    expect(changes[2]![1].plan).toEqual({ home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] });
  });

  it("ignores what is not a transfer to or from a known vehicle, and a count above the list limit", () => {
    const { t, changes } = tracker();
    const stranger = { sysid: 9, compid: 1 };
    t.message(count(GCS, stranger, 2), 1);
    t.message(item(GCS, stranger, 0, 1), 2);
    t.message(item(GCS, stranger, 1, 1), 3);
    t.message(ack(stranger, GCS, 0), 4);
    t.message(count(VEHICLE, GCS, 100_000), 5);
    t.message(item(VEHICLE, GCS, 0, 1), 6);
    // An item from the ground station for a download the vehicle is sending is not part of it.
    t.message(count(VEHICLE, GCS, 1), 7);
    t.message(item(GCS, VEHICLE, 0, 1), 8);
    expect(changes).toEqual([]);
  });
});
