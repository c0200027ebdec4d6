import { describe, expect, it } from "vitest";
import type { AuditLog } from "../audit";
import type { VehicleControl, VehicleKey } from "../protocol";
import { ControlRegistry } from "./registry";

const pia = { name: "pia", sessionHash: "p", address: "10.0.0.2" };
const ada = { name: "ada", sessionHash: "a", address: "10.0.0.3" };

function setup(known: VehicleKey[] = ["1:1"]) {
  const audited: { actor: string; action: string; result: string; detail?: unknown }[] = [];
  const states: Record<VehicleKey, VehicleControl>[] = [];
  const control = new ControlRegistry({
    audit: { record: (e: (typeof audited)[number]) => { audited.push(e); } } as unknown as AuditLog,
    clock: () => 1000,
    vehicleKnown: (key) => known.includes(key),
    changed: (state) => states.push(state),
  });
  return { control, audited, states };
}

describe("control of a vehicle", () => {
  it("an admin who is not a pilot overrides by freeing the vehicle, never by holding it", () => {
    const s = setup();
    expect(s.control.take("1:1", pia)).toMatchObject({ ok: true, value: { holder: "pia" } });
    expect(s.control.override("1:1", ada, { pilot: false })).toEqual({ ok: true, value: { holder: null, since: null } });
    expect(s.control.holderOf("1:1")).toBeNull();
    expect(s.states.at(-1)).toEqual({});
    expect(s.audited.at(-1)).toMatchObject({ actor: "ada", action: "control_overridden", result: "released", detail: { previousHolder: "pia" } });
    // A pilot can take it at once.
    expect(s.control.take("1:1", pia)).toMatchObject({ ok: true, value: { holder: "pia" } });
  });

  it("an admin who is a pilot takes the vehicle over", () => {
    const s = setup();
    s.control.take("1:1", pia);
    expect(s.control.override("1:1", ada, { pilot: true })).toMatchObject({ ok: true, value: { holder: "ada" } });
    expect(s.audited.at(-1)).toMatchObject({ action: "control_overridden", result: "ok", detail: { previousHolder: "pia" } });
    expect(s.control.override("2:1", ada, { pilot: true })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("an admin can always release; another pilot cannot", () => {
    const s = setup();
    s.control.take("1:1", pia);
    expect(s.control.release("1:1", { ...ada, name: "pat" })).toMatchObject({ ok: false, error: { code: "not_holder" } });
    expect(s.control.release("1:1", ada, { admin: true })).toEqual({ ok: true, value: { holder: null, since: null } });
    expect(s.audited.at(-1)).toMatchObject({ actor: "ada", action: "control_released", detail: { previousHolder: "pia" } });
    expect(s.control.release("1:1", ada, { admin: true })).toMatchObject({ ok: false, error: { code: "not_held" } });
  });

  it("keeps a gone server's pilots in control of their vehicles once they are heard here, unless taken meanwhile or too late", () => {
    const known: VehicleKey[] = ["1:1"];
    const s = setup(known);
    s.control.carryOver([
      { key: "1:1", name: "pia", sessionHash: "p", since: 500 },
      { key: "2:1", name: "ada", sessionHash: "a", since: 600 },
      { key: "3:1", name: "pia", sessionHash: "p", since: 700 },
    ], 5000);
    // Heard here already: at once, audited as carried over, with the time it was first taken.
    expect(s.states.at(-1)).toEqual({ "1:1": { holder: "pia", since: 500 } });
    expect(s.audited).toEqual([expect.objectContaining({ actor: "pia", action: "control_taken", target: "1:1", result: "carried_over" })]);
    expect(s.control.holdings()).toEqual([{ key: "1:1", name: "pia", sessionHash: "p", since: 500 }]);
    // 2:1 heard later, within the time; 3:1 taken by someone else first.
    known.push("3:1");
    expect(s.control.take("3:1", ada)).toMatchObject({ ok: true });
    known.push("2:1");
    s.control.adoptCarried(4000);
    expect(s.control.holderOf("2:1")).toBe("ada");
    expect(s.control.holderOf("3:1")).toBe("ada");
    // Too late, or its session ended meanwhile: not carried over.
    s.control.carryOver([{ key: "4:1", name: "pia", sessionHash: "p", since: 1 }, { key: "5:1", name: "ada", sessionHash: "a", since: 1 }], 6000);
    s.control.sessionsEnded({ sessionHash: "a" }, "logged out");
    known.push("4:1", "5:1");
    s.control.adoptCarried(6001);
    expect(s.control.holderOf("4:1")).toBeNull();
    expect(s.control.holderOf("5:1")).toBeNull();
  });
});
