import { describe, expect, it } from "vitest";
import { describeAction, describeDetail, describeTarget, entryTime } from "./format";
import { custodyTargetOf } from "./api";

describe("custody wording", () => {
  it("says what an action was, and falls back to the code's words for one it does not know", () => {
    expect(describeAction("footage_viewed")).toBe("Footage viewed");
    expect(describeAction("something_new")).toBe("something new");
  });

  it("names targets and cuts upload ids", () => {
    expect(describeTarget("footage:12")).toBe("Footage 12");
    expect(describeTarget("upload:0123456789abcdef")).toBe("Upload 01234567");
    expect(describeTarget("")).toBe("—");
  });

  it("keeps the reason, names and hashes of a detail and drops nested objects", () => {
    expect(describeDetail('{"reason":"overhead","kind":"flight","nested":{"a":1},"sha256":"ab"}')).toBe("“overhead” · kind flight · sha256 ab");
    expect(describeDetail("not json")).toBe("not json");
    expect(describeDetail("[1]")).toBe("");
  });

  it("writes times in UTC to the second", () => {
    expect(entryTime({ time: "2026-11-21T22:01:00.123Z" })).toBe("2026-11-21 22:01:00 UTC");
  });

  it("reads the report's address", () => {
    expect(custodyTargetOf("?incident=5")).toEqual({ kind: "incident", id: 5 });
    expect(custodyTargetOf("?footage=12")).toEqual({ kind: "footage", id: 12 });
    expect(custodyTargetOf("?flight=0")).toBeNull();
    expect(custodyTargetOf("?flight=1e3")).toBeNull();
    expect(custodyTargetOf("")).toBeNull();
  });
});
