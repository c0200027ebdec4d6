import { describe, expect, it } from "vitest";
import { paramsToSend, storedParams } from "../protocol";
import { compareLists } from "./compare";
import { listsToMission, missionToLists } from "./lists";
import type { ListItem } from "./lists";
import { WESTMINSTER_PLAN } from "../../test/support/missions/plan";
import { parsePlan } from "./plan";

const PLAN = parsePlan(WESTMINSTER_PLAN);

describe("Mission <-> the three MAVLink lists", () => {
  it("puts home at seq 0, polygons as vertices with their count, circles with their radius, rally points", () => {
    const lists = missionToLists(PLAN);
    expect(lists.mission[0]).toEqual({
      command: 16, frame: 0, params: [0, 0, 0, 0], lat: 51.50069, lon: -0.12171, alt: 6.4, autocontinue: true,
    });
    expect(lists.mission.slice(1)).toEqual(PLAN.items);
    expect(lists.fence.map((i) => [i.command, i.params[0], i.params[1], i.lat, i.lon])).toEqual([
      [5001, 4, 0, 51.5035, -0.129], [5001, 4, 0, 51.5035, -0.118], [5001, 4, 0, 51.4985, -0.118], [5001, 4, 0, 51.4985, -0.129],
      [5004, 40, 0, 51.50105, -0.12448],
    ]);
    expect(lists.rally).toEqual([
      { command: 5100, frame: 3, params: [0, 0, 0, 0], lat: 51.50041, lon: -0.1225, alt: 30, autocontinue: true },
      { command: 5100, frame: 3, params: [0, 0, 0, 0], lat: 51.5016, lon: -0.1233, alt: 30, autocontinue: true },
    ]);
  });

  it("reads the lists back into the same plan", () => {
    expect(listsToMission(missionToLists(PLAN))).toEqual({ mission: PLAN, problems: [] });
    const exclusion = { ...PLAN, fence: { polygons: [{ inclusion: false, points: PLAN.fence.polygons[0]!.points }], circles: [] } };
    expect(missionToLists(exclusion).fence[0]!.command).toBe(5002);
    expect(listsToMission(missionToLists(exclusion)).mission.fence).toEqual(exclusion.fence);
  });

  it("says what in a list is not a plan", () => {
    const lists = missionToLists(PLAN);
    const { problems } = listsToMission({ ...lists, fence: lists.fence.slice(1), rally: [{ ...lists.rally[0]!, command: 16 }] });
    expect(problems).toEqual([
      "rally item 0: command 16 is not a rally point",
      "fence item 0: a polygon of 4 vertices that does not have them",
      "fence item 1: a polygon of 4 vertices that does not have them",
      "fence item 2: a polygon of 4 vertices that does not have them",
    ]);
  });
});

describe("compareLists: by meaning", () => {
  const planned = missionToLists(PLAN).mission;
  /** What ArduPilot gives back: its own home, frames 6 -> 3, no-location commands in frame 0 zeroed, params stored. */
  const asStored = (items: ListItem[]): ListItem[] => items.map((it, i) => i === 0
    ? { ...it, lat: 51.5, lon: -0.12, alt: 12.34 }
    : { ...it, frame: it.frame === 6 ? 3 : it.frame, params: storedParams(it.command, paramsToSend(it.command, it.params)) });

  it("finds no difference in what a vehicle normally changes", () => {
    expect(compareLists("mission", planned, asStored(planned))).toEqual([]);
    const change = { ...planned[2]!, frame: 0, lat: 0, lon: 0, alt: 0 }; // DO_CHANGE_SPEED stored without location
    expect(compareLists("mission", planned, [...asStored(planned).slice(0, 2), change, ...asStored(planned).slice(3)])).toEqual([]);
    const six = planned.map((it) => (it.frame === 3 ? { ...it, frame: 6 } : it));
    expect(compareLists("mission", six, asStored(planned))).toEqual([]);
    expect(compareLists("mission", [], [planned[0]!])).toEqual([]);
  });

  it("compares LOITER_TIME by what ArduPilot keeps: its param3 comes back as +1 whatever radius was planned", () => {
    const loiter = planned[4]!;
    expect(loiter.command).toBe(19);
    const back = asStored(planned);
    expect(back[4]!.params).toEqual([20, 0, 1, 0]);
    expect(compareLists("mission", planned, back)).toEqual([]);
    expect(compareLists("mission", [...planned.slice(0, 4), { ...loiter, params: [20, 0, 35, null] }], back.slice(0, 5))).toEqual([]);
    // A planned param the vehicle cannot keep says what it became.
    const fraction = [...planned.slice(0, 4), { ...loiter, params: [20.5, 0, 0, null] as ListItem["params"] }];
    expect(compareLists("mission", fraction, [...back.slice(0, 4), { ...back[4]!, params: [21, 0, 1, 0] }])).toEqual([
      "mission item 4: param1 21 on the vehicle, 20.5 planned (kept as 20)",
    ]);
  });

  it("names every difference in words", () => {
    const back = asStored(planned);
    back[1] = { ...back[1]!, lat: back[1]!.lat + 2e-7, alt: 41 };
    back[3] = { ...back[3]!, frame: 0 };
    back[4] = { ...back[4]!, params: [10, 0, 1, 0] };
    back[5] = { ...back[5]!, command: 21 };
    expect(compareLists("mission", planned, back)).toEqual([
      "mission item 1: position 51.5007902, -0.12192 on the vehicle, 51.50079, -0.12192 planned",
      "mission item 1: altitude 41 m on the vehicle, 40 m planned",
      "mission item 3: altitude absolute (above sea level) on the vehicle, relative to home planned",
      "mission item 4: param1 10 on the vehicle, 20 planned",
      "mission item 5: command 21 (LAND) on the vehicle, 20 (RETURN_TO_LAUNCH) planned",
    ]);
    expect(compareLists("rally", missionToLists(PLAN).rally, [])).toEqual(["the vehicle has 0 rally items, the plan 2"]);
  });

  it("compares params at float32 precision; unset matches unset or 0 only", () => {
    const a: ListItem = { command: 19, frame: 3, params: [0.1, null, null, 5], lat: 1, lon: 2, alt: 3, autocontinue: true };
    expect(compareLists("fence", [a], [{ ...a, params: [Math.fround(0.1), 0, null, 5] }])).toEqual([]);
    expect(compareLists("fence", [a], [{ ...a, params: [0.1, 7, null, null] }])).toEqual([
      "fence item 0: param2 7 on the vehicle, unset planned",
      "fence item 0: param4 unset on the vehicle, 5 planned",
    ]);
  });
});
