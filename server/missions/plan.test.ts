import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/missions/errors";
import { jsonPath, parsePlan, serialisePlan } from "./index";
import type { Mission } from "./index";
import { WESTMINSTER_PLAN } from "../../test/support/missions/plan";


type Json = Record<string, unknown>;
const sample = (): Json => JSON.parse(WESTMINSTER_PLAN) as Json;
const missionOf = (plan: Json): Json => plan.mission as Json;
const itemsOf = (plan: Json): Json[] => missionOf(plan).items as Json[];

describe("parsePlan", () => {
  const mission = parsePlan(WESTMINSTER_PLAN);

  it("reads home, items, fence and rally points", () => {
    expect(mission.home).toEqual({ lat: 51.50069, lon: -0.12171, altAmsl: 6.4 });
    expect(mission.items.map((i) => i.command)).toEqual([22, 178, 16, 19, 20]);
    expect(mission.items[0]).toEqual({
      command: 22, frame: 3, params: [0, 0, 0, null], lat: 51.50079, lon: -0.12192, alt: 40, autocontinue: true,
    });
    expect(mission.items[1]?.params).toEqual([1, 6, -1, 0]);
    expect(mission.fence.polygons).toEqual([{ inclusion: true, points: [
      { lat: 51.5035, lon: -0.129 }, { lat: 51.5035, lon: -0.118 }, { lat: 51.4985, lon: -0.118 }, { lat: 51.4985, lon: -0.129 },
    ] }]);
    expect(mission.fence.circles).toEqual([{ inclusion: false, center: { lat: 51.50105, lon: -0.12448 }, radius: 40 }]);
    expect(mission.rally).toEqual([{ lat: 51.50041, lon: -0.1225, alt: 30 }, { lat: 51.5016, lon: -0.1233, alt: 30 }]);
  });

  it("accepts a parsed JSON value and a plan without fence or rally points", () => {
    const plan = sample();
    delete plan.geoFence;
    delete plan.rallyPoints;
    delete missionOf(plan).plannedHomePosition;
    const m = parsePlan(plan);
    expect(m.home).toBeNull();
    expect(m.fence).toEqual({ polygons: [], circles: [] });
    expect(m.rally).toEqual([]);
  });

  it("round trips Mission -> plan -> Mission", () => {
    expect(parsePlan(serialisePlan(mission))).toEqual(mission);
  });

  it("serialises what QGroundControl requires", () => {
    const plan = JSON.parse(serialisePlan(mission, { hoverSpeed: 8 })) as Json;
    expect(plan).toMatchObject({
      fileType: "Plan", version: 1, groundStation: "QGroundControl",
      geoFence: { version: 2 }, rallyPoints: { version: 2 },
      mission: { version: 2, firmwareType: 3, vehicleType: 2, cruiseSpeed: 15, hoverSpeed: 8,
        plannedHomePosition: [51.50069, -0.12171, 6.4] },
    });
    // identical to what QGC wrote, item for item (doJumpId, altitude mode keys, null yaw)
    expect(itemsOf(plan)).toEqual(itemsOf(sample()));
    expect(plan.geoFence).toEqual(sample().geoFence);
    expect(plan.rallyPoints).toEqual(sample().rallyPoints);
  });

  it("writes [0, 0, 0] for a missing home", () => {
    const empty: Mission = { home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] };
    const plan = JSON.parse(serialisePlan(empty)) as Json;
    expect(missionOf(plan).plannedHomePosition).toEqual([0, 0, 0]);
    expect(parsePlan(plan).items).toEqual([]);
  });
});

describe("parsePlan errors", () => {
  const cases: [string, (plan: Json) => unknown, string, RegExp][] = [
    ["wrong file type", (p) => { p.fileType = "Mission"; }, "fileType", /fileType: must be "Plan"/],
    ["old file version", (p) => { p.version = 2; }, "version", /version: only version 1 is supported/],
    ["missing mission", (p) => { delete p.mission; }, "mission", /mission: Required/],
    ["bad param count", (p) => { itemsOf(p)[2]!.params = [0, 0, 0]; }, "mission.items[2].params",
      /mission\.items\[2\]\.params: params must have exactly 7 entries/],
    ["latitude out of range", (p) => { (itemsOf(p)[2]!.params as number[])[4] = 95; }, "mission.items[2].params[4]",
      /mission\.items\[2\]\.params\[4\]: latitude out of range/],
    ["string command", (p) => { itemsOf(p)[0]!.command = "22"; }, "mission.items[0].command",
      /mission\.items\[0\]\.command: Expected number, received string/],
    ["unknown item type", (p) => { itemsOf(p)[1]!.type = "Thing"; }, "mission.items[1].type",
      /mission\.items\[1\]\.type: type must be "SimpleItem" or "ComplexItem"/],
    ["two-point polygon", (p) => {
      ((p.geoFence as Json).polygons as Json[])[0]!.polygon = [[51.5, -0.1], [51.6, -0.1]];
    }, "geoFence.polygons[0].polygon", /geoFence\.polygons\[0\]\.polygon: a fence polygon needs at least 3 points/],
    ["negative radius", (p) => {
      (((p.geoFence as Json).circles as Json[])[0]!.circle as Json).radius = -5;
    }, "geoFence.circles[0].circle.radius", /radius must be positive/],
    ["old fence version", (p) => { (p.geoFence as Json).version = 1; }, "geoFence.version", /only version 2 is supported/],
    ["rally longitude", (p) => { ((p.rallyPoints as Json).points as number[][])[1]![1] = 200; },
      "rallyPoints.points[1][1]", /rallyPoints\.points\[1\]\[1\]: longitude out of range/],
  ];
  for (const [name, edit, path, message] of cases) {
    it(`rejects ${name}`, () => {
      const plan = sample();
      edit(plan);
      const err = errorOf(() => parsePlan(JSON.stringify(plan)));
      expect(err.message).toMatch(message);
      expect(err.path).toBe(path);
      expect(err.code).toBe("mission_file_invalid");
    });
  }

  it("rejects survey items with a clear message", () => {
    const plan = sample();
    itemsOf(plan).splice(2, 0, { type: "ComplexItem", complexItemType: "survey", version: 5, polygon: [] });
    const err = errorOf(() => parsePlan(plan));
    expect(err.message).toBe(
      "mission.items[2]: not supported: survey pattern items; convert to waypoints in QGroundControl");
    expect(err.path).toBe("mission.items[2]");
  });

  it("names unknown complex items", () => {
    const plan = sample();
    itemsOf(plan).push({ type: "ComplexItem", complexItemType: "Spiral" });
    expect(errorOf(() => parsePlan(plan)).message).toMatch(/not supported: "Spiral" pattern items/);
  });

  it("names complex item types that are also names of Object.prototype's members as they are", () => {
    for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const plan = sample();
      itemsOf(plan).push({ type: "ComplexItem", complexItemType: type });
      expect(errorOf(() => parsePlan(plan)).message, type).toMatch(new RegExp(`not supported: "${type}" pattern items; convert`));
    }
  });

  it("rejects text that is not JSON", () => {
    expect(errorOf(() => parsePlan("QGC WPL 110\n")).message).toMatch(/^not valid JSON: /);
  });

  it("lists every problem", () => {
    const plan = sample();
    plan.fileType = "x";
    plan.version = 3;
    expect(errorOf(() => parsePlan(plan)).message).toBe("fileType: must be \"Plan\"; version: only version 1 is supported");
  });
});

describe("jsonPath", () => {
  it("formats keys and indices", () => {
    expect(jsonPath(["mission", "items", 2, "params", 4])).toBe("mission.items[2].params[4]");
    expect(jsonPath([])).toBe("(root)");
  });
});
