import { describe, expect, it } from "vitest";
import { makeVehicle } from "../../test/vehicles";
import { collectBounds, displayHeading, roundHeading } from "./geometry";
import { homeIconHtml, vehicleIconHtml } from "./iconHtml";

describe("displayHeading", () => {
  it("prefers the reported heading, falls back to yaw, else null", () => {
    expect(displayHeading({ heading: 270, attitude: { roll: 0, pitch: 0, yaw: 0 } })).toBe(270);
    expect(displayHeading({ heading: null, attitude: { roll: 0, pitch: 0, yaw: -Math.PI / 2 } })).toBeCloseTo(-90);
    expect(displayHeading({ heading: null, attitude: null })).toBeNull();
  });
});

describe("roundHeading", () => {
  it("rounds to 5 degree steps within 0..355", () => {
    expect(roundHeading(92.4)).toBe(90);
    expect(roundHeading(93)).toBe(95);
    expect(roundHeading(358)).toBe(0);
    expect(roundHeading(-90)).toBe(270);
    expect(roundHeading(null)).toBeNull();
  });
});

describe("collectBounds", () => {
  it("covers positions, homes and trails", () => {
    const v = makeVehicle(1, { position: { lat: 52.5, lon: 13.4, altAmsl: 0, altRelative: 0 }, home: { lat: 52.49, lon: 13.41, altAmsl: 0 } });
    const trail = [{ lat: 52.6, lon: 13.3, altAmsl: 0, time: 0 }];
    expect(collectBounds([v], [trail])).toEqual([[52.49, 13.3], [52.6, 13.41]]);
  });

  it("is null with nothing to show", () => {
    expect(collectBounds([makeVehicle(1, { position: null, home: null })], [[]])).toBeNull();
  });
});

describe("icon markup", () => {
  it("carries the test hooks and the rotation", () => {
    const html = vehicleIconHtml({ sysid: 3, compid: 1, colour: "#4fc3f7", heading: 90, stale: false, selected: true }, 52.5, 13.4);
    expect(html).toContain('data-testid="vehicle-marker-3-1"');
    expect(html).toContain('data-lat="52.5" data-lon="13.4"');
    expect(html).toContain('style="transform:rotate(90deg)"');
    expect(html).toContain("vmarker--selected");
    expect(html).toContain('<span class="vlabel__text"></span>'); // filled in by the marker, never from HTML
    expect(html).not.toContain("LOST");
    expect(html).not.toContain("vmarker--stale");
  });

  it("draws a disc when the heading is unknown and marks stale icons", () => {
    const html = vehicleIconHtml({ sysid: 3, compid: 1, colour: "#fff", heading: null, stale: true, selected: false }, 0, 0);
    expect(html).toContain("<circle r=\"8\"");
    expect(html).toContain("vmarker--stale");
    expect(html).toContain('<b class="vlabel__lost">LOST</b>');
    expect(homeIconHtml(3, 1, "#fff")).toContain('data-testid="home-marker-3-1"');
  });
});
