import { describe, expect, it } from "vitest";
import { fail, ok, type CommandReply } from "../../../../server/protocol";
import { addEntry, entriesFor, finishEntry, isPending, LOG_MAX, type CommandEntry } from "./log";
import { describeCommand, describeOutcome, forceOffer, thrownToResult } from "./outcome";

const accepted = (vehicleTexts: string[] = []) => ok<CommandReply>({ result: "accepted", text: "Accepted", attempts: 1, vehicleTexts });

describe("result in words and colour", () => {
  it("accepted is green, with what the vehicle said", () => {
    expect(describeOutcome(accepted())).toEqual({ tone: "ok", text: "Accepted" });
    expect(describeOutcome(accepted(["Arming motors"]))).toEqual({ tone: "ok", text: "Accepted · Arming motors" });
  });

  it("a refusal keeps the vehicle's whole text", () => {
    expect(describeOutcome(fail("failed", "PreArm: GPS 1: Bad fix"))).toEqual({ tone: "danger", text: "Refused by the vehicle (failed): PreArm: GPS 1: Bad fix" });
    expect(describeOutcome(fail("denied", "denied"))).toEqual({ tone: "danger", text: "Refused by the vehicle (denied)" });
    expect(describeOutcome(fail("temporarily_rejected", "busy"))).toEqual({ tone: "caution", text: "Refused by the vehicle (temporarily_rejected): busy" });
    expect(describeOutcome(fail("unsupported", "")).text).toBe("Refused by the vehicle (unsupported)");
  });

  it("the server's and the link's failures say so", () => {
    expect(describeOutcome(fail("timeout", "no COMMAND_ACK after 3 attempts"))).toEqual({ tone: "danger", text: "No answer from the vehicle (timeout): no COMMAND_ACK after 3 attempts" });
    expect(describeOutcome(fail("not_holder", "held by max"))).toEqual({ tone: "caution", text: "Not sent: you do not hold control of this vehicle: held by max" });
    expect(describeOutcome(fail("unconfirmed", "")).tone).toBe("caution");
    expect(describeOutcome(fail("forbidden", "pilots only")).text).toBe("Failed (forbidden): pilots only");
    expect(describeOutcome(thrownToResult(new Error("socket closed")))).toEqual({ tone: "danger", text: "Not sent: socket closed" });
  });

  it("names commands", () => {
    expect(describeCommand({ kind: "arm" })).toBe("Arm");
    expect(describeCommand({ kind: "disarm", force: true })).toBe("Force disarm");
    expect(describeCommand({ kind: "takeoff", altM: 20 })).toBe("Take off to 20\u202fm");
    expect(describeCommand({ kind: "setMode", mode: "LOITER" })).toBe("Set mode LOITER");
    expect(describeCommand({ kind: "goto", lat: 52.5, lon: 13.4, altM: 30 })).toBe("Go to 52.500000, 13.400000 at 30\u202fm");
    expect(describeCommand({ kind: "missionStart", fromSeq: 2 })).toBe("Start mission at item 2");
    expect(describeCommand({ kind: "speed", mps: 7 })).toBe("Speed 7.0\u202fm/s");
  });

  it("offers force only after the vehicle refused a normal arm/disarm", () => {
    expect(forceOffer({ kind: "arm" }, fail("failed", "PreArm: x"))).toBe("forceArm");
    expect(forceOffer({ kind: "disarm" }, fail("denied", ""))).toBe("forceDisarm");
    expect(forceOffer({ kind: "arm" }, accepted())).toBeNull();
    expect(forceOffer({ kind: "arm" }, fail("timeout", ""))).toBeNull();
    expect(forceOffer({ kind: "arm", force: true }, fail("failed", ""))).toBeNull();
    expect(forceOffer({ kind: "land" }, fail("failed", ""))).toBeNull();
  });
});

describe("command log", () => {
  const entry = (id: number, key: "1:1" | "2:1" = "1:1"): CommandEntry => ({ id, key, command: { kind: "land" }, label: "Land", sentAt: id, outcome: null, forceOffer: null });
  const done = { tone: "ok" as const, text: "Accepted" };

  it("keeps pending entries and the last LOG_MAX finished ones per vehicle, newest first", () => {
    let list: CommandEntry[] = [];
    for (let id = 1; id <= LOG_MAX + 3; id++) list = finishEntry(addEntry(list, entry(id)), id, done, null);
    list = addEntry(list, entry(100, "2:1"));
    list = addEntry(list, entry(101));
    expect(entriesFor(list, "1:1").map((e) => e.id)).toEqual([101, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect(isPending(list, "1:1", "land")).toBe(true);
    expect(isPending(list, "1:1", "rtl")).toBe(false);
    list = finishEntry(list, 101, done, null);
    expect(entriesFor(list, "1:1").map((e) => e.id)).toEqual([101, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    expect(entriesFor(list, "2:1")).toHaveLength(1);
  });
});
