import { describe, expect, it } from "vitest";
import type { VehicleMissionInfo } from "../../../../server/protocol";
import { emptyMission, insertAfter } from "./draftOps";
import { copterFlight1, towerBridge } from "../../test/missions";
import { fetchSignature, nextDraft, shouldFetch, type FetchInput } from "./follow";

const known = (plan = copterFlight1()): VehicleMissionInfo => ({ key: "1:1", plan, verifiedAt: 1, source: "upload", by: "p" });
const base: FetchInput = { key: "1:1", enabled: true, total: 6, known: null, transferring: false, inFlight: false, lastTried: undefined };

describe("when to read the selected vehicle's mission", () => {
  it("reads a vehicle with a mission nobody has verified", () => {
    expect(shouldFetch(base)).toBe(true);
    expect(shouldFetch({ ...base, total: null })).toBe(true);
  });

  it("not when nothing is selected, the user may not read, or another transfer is running", () => {
    expect(shouldFetch({ ...base, key: null })).toBe(false);
    expect(shouldFetch({ ...base, enabled: false })).toBe(false);
    expect(shouldFetch({ ...base, inFlight: true })).toBe(false);
    expect(shouldFetch({ ...base, transferring: true })).toBe(false);
  });

  it("not for a vehicle that reports no mission", () => {
    expect(shouldFetch({ ...base, total: 0 })).toBe(false);
  });

  it("not when the verified plan has the vehicle's count (with or without home as item 0)", () => {
    expect(shouldFetch({ ...base, known: known(), total: 6 })).toBe(false);
    expect(shouldFetch({ ...base, known: known(), total: 7 })).toBe(false);
    expect(shouldFetch({ ...base, known: known(), total: null })).toBe(false);
  });

  it("again when the vehicle's mission changes size (another ground station uploaded)", () => {
    expect(shouldFetch({ ...base, known: known(), total: 9 })).toBe(true);
  });

  it("once per vehicle and mission size: a failed read is not retried in a loop", () => {
    expect(shouldFetch({ ...base, lastTried: fetchSignature("1:1", 6) })).toBe(false);
    expect(shouldFetch({ ...base, lastTried: fetchSignature("1:1", 5) })).toBe(true);
  });
});

describe("what the Plan tab shows", () => {
  const empty = emptyMission();

  it("an empty draft becomes the vehicle's plan", () => {
    expect(nextDraft(empty, null, copterFlight1())).toEqual(copterFlight1());
  });

  it("a draft still equal to the plan shown last follows the vehicle's new plan", () => {
    expect(nextDraft(copterFlight1(), copterFlight1(), towerBridge())).toEqual(towerBridge());
  });

  it("a draft the pilot edited is never replaced", () => {
    const edited = insertAfter(copterFlight1(), 1, copterFlight1().items[1]!);
    expect(nextDraft(edited, copterFlight1(), towerBridge())).toBeNull();
    expect(nextDraft(towerBridge(), null, copterFlight1())).toBeNull();
  });

  it("nothing to do when the draft already is the plan", () => {
    expect(nextDraft(copterFlight1(), null, copterFlight1())).toBeNull();
  });

  it("a plan shown for another vehicle is taken away when the new one's is unknown", () => {
    expect(nextDraft(copterFlight1(), copterFlight1(), null)).toEqual(emptyMission(copterFlight1().home));
    expect(nextDraft(empty, null, null)).toBeNull();
  });
});
