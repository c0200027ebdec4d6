import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../test/support/sitl/mission-transcript";
import { formatWaypoints, parseWaypoints } from "./waypoints";

const TEXT = readFileSync(fixturePath("copter_flight_1.waypoints"), "utf8");
const HEADER = "QGC WPL 110\n";

describe("QGC WPL 110 .waypoints", () => {
  it("reads the recorded mission: home, takeoff, four waypoints, RTL; lat/lon in degE7", () => {
    const items = parseWaypoints(TEXT);
    expect(items.map((i) => [i.seq, i.frame, i.command])).toEqual([
      [0, 0, 16], [1, 3, 22], [2, 3, 16], [3, 3, 16], [4, 3, 16], [5, 3, 16], [6, 3, 20],
    ]);
    expect(items[0]).toMatchObject({ current: 1, x: 515073998, y: -1278000, z: 10.09, autocontinue: 1, missionType: 0 });
    expect(items[2]).toMatchObject({ x: 515082981, y: -1278000, z: 30 });
    expect(items[3]).toMatchObject({ x: 515073998, y: -1263567 });
  });

  it("round-trips: parse(format(items)) equals items, and the output is tab-separated with a header", () => {
    const items = parseWaypoints(TEXT);
    const text = formatWaypoints(items);
    expect(parseWaypoints(text)).toEqual(items);
    expect(text.split("\n")[3]).toBe("2\t0\t3\t16\t0\t0\t0\t0\t51.5082981\t-0.1278\t30\t1");
    expect(formatWaypoints(parseWaypoints(text))).toBe(text);
  });

  it("accepts CRLF line ends and blank lines", () => {
    const items = parseWaypoints(TEXT.replace(/\n/g, "\r\n") + "\r\n\r\n");
    expect(items).toHaveLength(7);
  });

  it("names the line of a malformed file", () => {
    expect(() => parseWaypoints("")).toThrow('line 1: expected the header "QGC WPL 110", got ""');
    expect(() => parseWaypoints("QGC WPL 100\n")).toThrow(/line 1: expected the header/);
    expect(() => parseWaypoints(`${HEADER}0\t1\t0\t16\t0\t0\t0\t0\t51.5\t-0.12\t10\n`)).toThrow(
      "line 2: expected 12 tab-separated columns, got 11",
    );
    expect(() => parseWaypoints(`${HEADER}0\t1\t0\t16\t0\t0\t0\t0\t51.5\tabc\t10\t1\n`)).toThrow(
      'line 2: longitude is not a number: "abc"',
    );
    expect(() => parseWaypoints(`${HEADER}0\t1\t0\t16\t0\t0\t0\t0\t51.5\t-0.1\t10\t1\n\n2\t0\t3\t16\t0\t0\t0\t0\t51.5\t-0.1\t10\t1\n`))
      .toThrow("line 4: index 2 out of order (expected 1)");
  });
});
