import { describe, expect, it } from "vitest";
import { buildFlightsQuery, flightsUrl, localDayMs, NO_FILTERS, pageOffsets, parseVehicleKey } from "./query";

describe("parseVehicleKey", () => {
  it("reads sysid:compid", () => {
    expect(parseVehicleKey("1:1")).toBe("1:1");
    expect(parseVehicleKey(" 12 : 190 ")).toBe("12:190");
    expect(parseVehicleKey("1")).toBeNull();
    expect(parseVehicleKey("256:1")).toBeNull();
    expect(parseVehicleKey("a:b")).toBeNull();
  });
});

describe("localDayMs", () => {
  it("gives local midnight, or the last millisecond of the day", () => {
    expect(localDayMs("2024-05-03")).toBe(new Date(2024, 4, 3).getTime());
    expect(localDayMs("2024-05-03", true)).toBe(new Date(2024, 4, 4).getTime() - 1);
    expect(localDayMs("2024-02-30")).toBeNull();
    expect(localDayMs("")).toBeNull();
  });
});

describe("buildFlightsQuery", () => {
  it("pages with no filters", () => {
    expect(buildFlightsQuery(NO_FILTERS, null, 0)).toEqual({ query: { offset: 0, limit: 50 }, problems: [] });
  });

  it("puts every filter in the query", () => {
    const { query, problems } = buildFlightsQuery(
      { vehicle: "1:1", fromDate: "2024-05-01", toDate: "2024-05-03", inView: true }, [-0.2, 51.4, 0.1, 51.6], 50,
    );
    expect(problems).toEqual([]);
    expect(query).toEqual({
      vehicle: "1:1", from: new Date(2024, 4, 1).getTime(), to: new Date(2024, 4, 4).getTime() - 1, bbox: [-0.2, 51.4, 0.1, 51.6], offset: 50, limit: 50,
    });
  });

  it("leaves out and reports what does not parse", () => {
    const { query, problems } = buildFlightsQuery({ vehicle: "drone", fromDate: "2024-05-04", toDate: "2024-05-03", inView: true }, null, 0);
    expect(query).toEqual({ offset: 0, limit: 50 });
    expect(problems).toEqual([
      "Vehicle: write system and component id, e.g. 1:1.",
      "The start date is after the end date.",
      "The map view is not known yet.",
    ]);
  });
});

describe("flightsUrl", () => {
  it("writes the parameters in a fixed order", () => {
    expect(flightsUrl({ limit: 50, offset: 0, vehicle: "1:1", bbox: [1, 2, 3, 4], from: 10, to: 20 }))
      .toBe("/api/flights?vehicle=1%3A1&from=10&to=20&bbox=1%2C2%2C3%2C4&offset=0&limit=50");
    expect(flightsUrl({})).toBe("/api/flights");
  });
});

describe("pageOffsets", () => {
  it("finds the neighbouring pages", () => {
    expect(pageOffsets(0, 50, 123)).toEqual({ prev: null, next: 50 });
    expect(pageOffsets(100, 50, 123)).toEqual({ prev: 50, next: null });
    expect(pageOffsets(20, 50, 123)).toEqual({ prev: 0, next: 70 });
    expect(pageOffsets(0, 50, 0)).toEqual({ prev: null, next: null });
  });
});
