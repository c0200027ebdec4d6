import { describe, expect, it } from "vitest";
import type { MissionProgress } from "../../../../server/protocol";
import { copterFlight1, towerBridge } from "../../test/missions";
import { edgeMidpoints, fenceColour, itemMarkers, itemProgress, missionPoints, pathPoints } from "./layerModel";
import { itemIconHtml, rallyIconHtml, vertexIconHtml } from "./missionIcons";
import { countsText, progressPercent, progressText, syncText } from "./summary";

const flying: MissionProgress = { current: 3, total: 6, reached: [1, 2], state: "active" };

describe("map layer model", () => {
  it("marks items with a position, numbered by seq, with progress only when the draft is the vehicle's", () => {
    const markers = itemMarkers(copterFlight1(), flying, true);
    expect(markers.map((m) => [m.seq, m.kind, m.progress])).toEqual([
      [2, "waypoint", "reached"], [3, "waypoint", "current"], [4, "waypoint", "planned"], [5, "waypoint", "planned"],
    ]);
    expect(itemMarkers(copterFlight1(), flying, false).every((m) => m.progress === "planned")).toBe(true);
    expect(itemProgress(3, { ...flying, state: "complete", reached: [1, 2, 3] })).toBe("reached");
    expect(itemProgress(3, null)).toBe("planned");
  });

  it("draws the path from home through the positions and back home on RTL", () => {
    const m = towerBridge();
    const home = { lat: 51.5041, lon: -0.079 };
    expect(pathPoints(m, home)).toEqual([home, { lat: 51.5048, lon: -0.0772 }, { lat: 51.5053, lon: -0.076 }, { lat: 51.5061, lon: -0.0747 }, home]);
    expect(pathPoints(m, null)).toHaveLength(3);
    m.items.splice(2, 0, { ...m.items[4]!, command: 21, lat: 0, lon: 0 });
    expect(pathPoints(m, home)).toHaveLength(2); // the landing ends the flight
  });

  it("puts an edge handle halfway along each side, the closing side too", () => {
    const square = [{ lat: 0, lon: 0 }, { lat: 0, lon: 2 }, { lat: 2, lon: 2 }];
    expect(edgeMidpoints(square)).toEqual([
      { after: 0, at: { lat: 0, lon: 1 } }, { after: 1, at: { lat: 1, lon: 2 } }, { after: 2, at: { lat: 1, lon: 1 } },
    ]);
    expect(fenceColour(true)).not.toBe(fenceColour(false));
  });

  it("icon markup carries the test hooks", () => {
    const html = itemIconHtml({ seq: 3, kind: "loiter", progress: "current", selected: true, lat: 51.5, lon: -0.1 });
    expect(html).toContain('data-testid="mission-item-3"');
    expect(html).toContain('data-lat="51.5" data-lon="-0.1"');
    expect(html).toContain("mitem--current");
    expect(html).toContain("mitem--selected");
    expect(rallyIconHtml(0, 1, 2)).toContain('data-testid="rally-point-1"');
    expect(vertexIconHtml("fence-vertex-1-2", false, "corner")).toContain("mvertex--exclusion");
  });
});

describe("panel texts", () => {
  it("counts, sync and progress in words", () => {
    expect(countsText(copterFlight1())).toBe("6 mission items, 0 fence zones, 0 rally points");
    expect(syncText(null, false)).toBe("Not on the vehicle yet");
    const p = { key: "1:1" as const, direction: "download" as const, missionType: "rally" as const, done: 0, total: 0, stage: "verifying" as const };
    expect(progressText(p)).toBe("Verifying rally points: 0 of 0");
    expect(progressPercent(p)).toBe(100);
    expect(progressText({ ...p, stage: "done" })).toBe("Download done");
  });
});

describe("what the map fits to", () => {
  it("items with a position, fence corners, the edges of fence circles and rally points", () => {
    const m = copterFlight1();
    const withFence = {
      ...m,
      fence: { polygons: [{ inclusion: true, points: [{ lat: 51.52, lon: -0.14 }] }], circles: [{ inclusion: false, center: { lat: 51.5, lon: -0.1 }, radius: 111.32 }] },
      rally: [{ lat: 51.49, lon: -0.11, alt: 20 }],
    };
    const points = missionPoints(withFence);
    // 4 waypoints (take-off and RTL have no position), 1 corner, 2 circle edges, 1 rally point.
    expect(points).toHaveLength(8);
    expect(points[5]!.lat).toBeCloseTo(51.499, 6);
    expect(points[6]!.lat).toBeCloseTo(51.501, 6);
    expect(points[7]).toEqual({ lat: 51.49, lon: -0.11 });
  });
});
