import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/missions/errors";
import { parsePlan, parseWaypoints, serialisePlan, serialiseWaypoints } from "./index";

const root = fileURLToPath(new URL("../../", import.meta.url));
const samples = [
  ...readdirSync(join(root, "missions")).filter((f) => f.endsWith(".waypoints")).map((f) => join("missions", f)),
  join("test", "fixtures", "copter_flight_1.waypoints"),
];


const HOME = "0\t1\t0\t16\t0\t0\t0\t0\t51.5\t-0.12\t10\t1";
const WP = "1\t0\t3\t16\t0\t0\t0\t0\t51.51\t-0.13\t30\t1";

describe("QGC WPL 110 samples", () => {
  it("finds the samples", () => expect(samples.length).toBeGreaterThanOrEqual(5));

  for (const file of samples) {
    describe(file, () => {
      const text = readFileSync(join(root, file), "utf8");
      const mission = parseWaypoints(text);
      const lines = text.trim().split("\n");

      it("parses home and every item", () => {
        expect(mission.home).not.toBeNull();
        expect(mission.items).toHaveLength(lines.length - 2);
        expect(mission.items[0]?.command).toBe(22); // takeoff
        const [, , , , , , , , la, lo, a] = (lines[1] ?? "").split("\t");
        expect(mission.home).toEqual({ lat: Number(la), lon: Number(lo), altAmsl: Number(a) });
      });

      it("round trips waypoints -> Mission -> waypoints", () => {
        const written = serialiseWaypoints(mission);
        expect(parseWaypoints(written)).toEqual(mission);
        expect(serialiseWaypoints(parseWaypoints(written))).toBe(written);
        // same values line by line, only the number formatting may differ
        const numbers = (t: string) => t.trim().split("\n").slice(1).map((l) => l.split("\t").map(Number));
        expect(numbers(written)).toEqual(numbers(text));
      });

      it("round trips Mission -> plan -> Mission", () => {
        expect(parsePlan(serialisePlan(mission))).toEqual(mission);
      });
    });
  }
});

describe("parseWaypoints", () => {
  it("keeps item fields, unset (nan) params as null and autocontinue", () => {
    const m = parseWaypoints(`QGC WPL 110\r\n${HOME}\r\n1\t0\t3\t19\t30\t0\t0\tnan\t51.51\t-0.13\t30\t0\r\n\r\n`);
    expect(m.items).toEqual([{ command: 19, frame: 3, params: [30, 0, 0, null], lat: 51.51, lon: -0.13, alt: 30, autocontinue: false }]);
    expect(serialiseWaypoints(m)).toContain("\t30\t0\t0\tnan\t51.51\t");
    expect(m.fence).toEqual({ polygons: [], circles: [] });
  });

  it("accepts an empty mission and a space-separated file", () => {
    expect(parseWaypoints("QGC WPL 110\n").home).toBeNull();
    expect(parseWaypoints(`QGC WPL 110\n${HOME.replaceAll("\t", " ")}\n`).home?.lat).toBe(51.5);
  });

  it("writes a zero home line for a mission without home", () => {
    const m = parseWaypoints(`QGC WPL 110\n${HOME}\n${WP}\n`);
    expect(serialiseWaypoints({ ...m, home: null }).split("\n")[1]).toBe("0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1");
    expect(serialiseWaypoints({ ...m, home: null, items: [] })).toBe("QGC WPL 110\n");
  });

  const cases: [string, string, number, RegExp][] = [
    ["missing header", `${HOME}\n`, 1, /line 1: missing header; expected "QGC WPL 110"/],
    ["other version", "QGC WPL 120\n", 1, /line 1: unsupported version "QGC WPL 120"/],
    ["wrong column count", `QGC WPL 110\n${HOME}\n1\t0\t3\t16\t0\t0\n`, 3, /line 3: expected 12 tab-separated columns, found 6/],
    ["non-numeric field", `QGC WPL 110\n${HOME}\n${WP.replace("51.51", "51.5x")}\n`, 3, /line 3: LAT is not a number: "51.5x"/],
    ["nan coordinate", `QGC WPL 110\n${HOME}\n${WP.replace("30\t1", "nan\t1")}\n`, 3, /line 3: ALT is not a number: "nan"/],
    ["index out of order", `QGC WPL 110\n${HOME}\n${WP.replace(/^1/, "2")}\n`, 3, /line 3: index 2 out of order; expected 1/],
    ["no home line", `QGC WPL 110\n${WP}\n`, 2, /line 2: index 1 out of order; expected 0/],
    ["latitude out of range", `QGC WPL 110\n${HOME}\n${WP.replace("51.51", "91.5")}\n`, 3, /line 3: latitude 91.5 out of range/],
    ["longitude out of range", `QGC WPL 110\n${HOME.replace("-0.12", "-180.5")}\n`, 2, /line 2: longitude -180.5 out of range/],
    ["fractional command", `QGC WPL 110\n${HOME}\n${WP.replace("\t16\t", "\t16.5\t")}\n`, 3, /line 3: COMMAND must be a non-negative integer/],
  ];
  for (const [name, text, line, message] of cases) {
    it(`rejects ${name}`, () => {
      const err = errorOf(() => parseWaypoints(text));
      expect(err.message).toMatch(message);
      expect(err.line).toBe(line);
      expect(err.code).toBe("mission_file_invalid");
    });
  }

  it("reports blank lines in the numbering", () => {
    expect(errorOf(() => parseWaypoints(`QGC WPL 110\n${HOME}\n\n1\t0\n`)).line).toBe(4);
  });

  it("ignores latitude range for non-global frames", () => {
    const m = parseWaypoints(`QGC WPL 110\n${HOME}\n1\t0\t2\t178\t1\t5\t-1\t0\t500\t0\t0\t1\n`);
    expect(m.items[0]?.lat).toBe(500);
  });

  it("rejects non-text input", () => {
    expect(errorOf(() => parseWaypoints(42)).message).toMatch(/must be text/);
  });
});
