import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  frameAccepted, nanAccepted, paramsToSend, refusedParam, storageRule, storedAltitude, storedFrame, storedParams,
  storesLocation,
} from "./ardupilot-mission";
import type { Params4 } from "./ardupilot-mission";

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url).pathname, "utf8");

interface Sent { frame: number; command: number; params: Params4; x: number; y: number; z: number }
interface Reported extends Sent { seq: number }

/** What a real ArduCopter 4.7 SITL reported for what it was sent: every mission item of both recordings. */
function recordedPairs(): { sent: Sent; back: Reported }[] {
  const pairs: { sent: Sent; back: Reported }[] = [];
  // camera_survey: the items as uploaded (missing params are 0) and the MISSION_ITEM_INTs downloaded after.
  const survey = JSON.parse(fixture("camera_survey_summary.json")) as {
    scenario_parameters: {
      mission_uploaded: { frame: number; command: number; p1?: number; p2?: number; p3?: number; x?: number; y?: number; z?: number }[];
      mission_downloaded: { seq: number; frame: number; command: number; param1: number; param2: number; param3: number;
        param4: number; x: number; y: number; z: number }[];
    };
  };
  const { mission_uploaded: up, mission_downloaded: down } = survey.scenario_parameters;
  up.forEach((u, i) => {
    const d = down[i]!;
    pairs.push({
      sent: { frame: u.frame, command: u.command, params: [u.p1 ?? 0, u.p2 ?? 0, u.p3 ?? 0, 0], x: u.x ?? 0, y: u.y ?? 0, z: u.z ?? 0 },
      back: { seq: d.seq, frame: d.frame, command: d.command, params: [d.param1, d.param2, d.param3, d.param4], x: d.x, y: d.y, z: d.z },
    });
  });
  // copter_flight_1: the UPLOAD and DOWNLOAD phases of the mission-protocol transcript.
  const items = (phase: string, dir: string) => fixture("copter_flight_1_mission_protocol.txt").split("\n")
    .filter((l) => l.includes(` ${phase} `) && l.includes(dir) && l.includes("MISSION_ITEM_INT"))
    .map((l) => Object.fromEntries([...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, Number(m[2])])));
  const sent = items("UPLOAD", "GCS->VEH");
  const back = items("DOWNLOAD", "VEH->GCS");
  sent.forEach((s, i) => {
    const b = back[i]!;
    const p = (o: Record<string, number>): Params4 => [o.param1!, o.param2!, o.param3!, o.param4!];
    pairs.push({
      sent: { frame: s.frame!, command: s.command!, params: p(s), x: s.x!, y: s.y!, z: s.z! },
      back: { seq: b.seq!, frame: b.frame!, command: b.command!, params: p(b), x: b.x!, y: b.y!, z: b.z! },
    });
  });
  return pairs;
}

describe("what ArduPilot stores, checked against real ArduCopter downloads", () => {
  const pairs = recordedPairs().filter((p) => p.back.seq !== 0); // seq 0 is the vehicle's own home
  it("has the recorded items: waypoints, takeoff, camera trigger distance, RTL", () => {
    expect(pairs.length).toBe(15);
    expect(new Set(pairs.map((p) => p.sent.command))).toEqual(new Set([16, 20, 22, 206]));
  });

  it("predicts every param, frame and position the vehicle gave back", () => {
    for (const { sent, back } of pairs) {
      const what = `seq ${back.seq} command ${sent.command}`;
      expect(storedParams(sent.command, sent.params), what).toEqual(back.params);
      expect(storedFrame(sent.command, sent.frame), what).toBe(back.frame);
      const located = storesLocation(sent.command);
      expect([located ? sent.x : 0, located ? sent.y : 0, located ? storedAltitude(sent.z) : 0], what)
        .toEqual([back.x, back.y, back.z]);
    }
  });
});

describe("the storage table (AP_Mission.cpp mavlink_int_to_mission_cmd / mission_cmd_to_mavlink_int)", () => {
  it("LOITER_TIME keeps only the direction of param3, as +1 or -1, and param4 as a 0/1 flag", () => {
    expect(storedParams(19, [30, 0, 0, 0])).toEqual([30, 0, 1, 0]);
    expect(storedParams(19, [30, 0, 25, 0])).toEqual([30, 0, 1, 0]);
    expect(storedParams(19, [30, 0, -25, 0.5])).toEqual([30, 0, -1, 1]);
    expect(storedParams(19, [20.7, 5, 0, -3])).toEqual([20, 0, 1, 0]);
  });

  it("LOITER_TURNS and LOITER_UNLIM keep a signed radius; turns and radius are bytes", () => {
    expect(storedParams(18, [3, 0, -40.6, 1])).toEqual([3, 0, -40, 1]);
    expect(storedParams(18, [300, 0, 600, 0])).toEqual([255, 0, 600, 0]);
    expect(storedParams(18, [2, 0, 1234, 0])).toEqual([2, 0, 1230, 0]);
    expect(storedParams(17, [5, 6, -80.9, 7])).toEqual([0, 0, -80, 0]);
  });

  it("WAYPOINT and TAKEOFF keep only param1 in whole units; LAND keeps param4 as a direction", () => {
    expect(storedParams(16, [2.9, 3, 4, Number.NaN])).toEqual([2, 0, 0, 0]);
    expect(storedParams(22, [0, 0, 0, Number.NaN])).toEqual([0, 0, 0, 0]);
    expect(storedParams(21, [0, 0, 0, Number.NaN])).toEqual([0, 0, 0, 1]);
    expect(storedParams(21, [0, 0, 0, -90])).toEqual([0, 0, 0, -1]);
  });

  it("DO_CHANGE_SPEED, DO_JUMP, CONDITION_YAW and NAV_DELAY keep their struct's field types", () => {
    expect(storedParams(178, [1, 6.5, -1, 9])).toEqual([1, 6.5, -1, 0]);
    expect(storedParams(177, [3, -1, 7, 7])).toEqual([3, -1, 0, 0]);
    expect(storedParams(115, [90.5, 10, -1, 1])).toEqual([90.5, 10, -1, 1]);
    expect(storedParams(93, [0.1, -1, -1, -1])).toEqual([Math.fround(0.1), -1, -1, -1]);
  });

  it("keeps an unknown command's params as float32, and names a source for every rule", () => {
    expect(storedParams(42000, [0.1, 2, 3, 4])).toEqual([Math.fround(0.1), 2, 3, 4]);
    for (const command of [16, 17, 18, 19, 20, 21, 22, 93, 112, 114, 115, 177, 178, 201, 206]) {
      expect(storageRule(command)?.source, String(command)).toMatch(/AP_Mission/);
    }
  });

  it("reports located items in frame 0, 3 or 10 and everything else in frame 0; altitudes in whole centimetres", () => {
    expect([storedFrame(16, 6), storedFrame(16, 5), storedFrame(16, 2), storedFrame(16, 11), storedFrame(178, 3)])
      .toEqual([3, 0, 0, 10, 0]);
    expect(frameAccepted(16, 1)).toBe(false);
    expect(frameAccepted(178, 1)).toBe(true);
    expect(storedAltitude(45.678)).toBeCloseTo(45.67, 5);
  });
});

describe("NaN: ArduPilot accepts it only where sanity_check_params allows", () => {
  it("allows NaN in param4 of WAYPOINT, LAND, TAKEOFF and in params 3-4 of VTOL_LAND", () => {
    expect([16, 21, 22, 84].map((c) => nanAccepted(c, 3))).toEqual([true, true, true, true]);
    expect([nanAccepted(85, 2), nanAccepted(85, 3), nanAccepted(16, 0), nanAccepted(19, 3)]).toEqual([true, true, false, false]);
  });

  it("refuses the Westminster plan's LOITER_TIME with a NaN param4 (INVALID_PARAM4), and any infinity", () => {
    expect(refusedParam(19, [20, 0, 0, Number.NaN])).toBe(4);
    expect(refusedParam(22, [0, 0, 0, Number.NaN])).toBeNull();
    expect(refusedParam(16, [Number.NaN, 0, 0, Number.NaN])).toBe(1);
    expect(refusedParam(16, [0, Number.POSITIVE_INFINITY, 0, 0])).toBe(2);
  });

  it("sends an unset param as NaN only where it is accepted, 0 elsewhere", () => {
    expect(paramsToSend(19, [20, 0, 0, null])).toEqual([20, 0, 0, 0]);
    expect(paramsToSend(16, [null, 0, 0, null])).toEqual([0, 0, 0, Number.NaN]);
    expect(refusedParam(19, paramsToSend(19, [20, null, null, null]))).toBeNull();
  });
});
