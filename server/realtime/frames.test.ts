import { describe, expect, it } from "vitest";
import { decodeFrame } from "../mavlink";
import { DETAIL_FIELDS, STATUS_TEXT_LIMIT, isWholeVehicle, mergeFrame, mergeVehicle, sameValue, toPositionE7 } from "../protocol";
import type { StatusText, VehicleDetail, VehicleKey, VehiclePatch, VehicleState } from "../protocol";
import { VehicleRegistry } from "../vehicles";
import { tlogEntries } from "../../test/support/alerts/replay";
import { EVERY_FIELD, EVERY_FIELD_OTHER } from "../../test/support/vehicles/every-field";
import { FrameDeltas, LINK_EVERY_MS, toDetail, toWire } from "./frames";
import type { FrameContent } from "./frames";

const TICK_MS = 100;

/** A real ArduCopter flight through the registry, ticking as the server does: the frames each tick would send. */
type Sent = FrameContent & { details: VehicleDetail[] };

function framesOf(fixture: string, refreshEveryMs: number): { sent: Sent[]; truth: VehicleState[][]; raw: Map<string, VehicleState>[] } {
  const registry = new VehicleRegistry({ lostAfterMs: 5000 }, { statusText: () => {}, link: () => {}, commandAck: () => {} });
  const deltas = new FrameDeltas(refreshEveryMs);
  const sent: Sent[] = [];
  const truth: VehicleState[][] = [];
  const raw: Map<string, VehicleState>[] = [];
  let next = -1;
  const tickTo = (time: number) => {
    if (next < 0) next = time;
    while (next <= time) {
      registry.sweep(next);
      const changed = registry.takeChanged(next);
      // The detail of each changed vehicle, as its watchers get it after the frame.
      const details = changed.map(toDetail);
      sent.push({ ...deltas.frame(changed, next), details });
      // What a screen sent every vehicle whole each tick would hold: each vehicle as of its last change (link health
      // is computed at the time of the change); a refresh sends it as of then too.
      const last = new Map((truth.at(-1) ?? []).map((v) => [v.key, v]));
      for (const v of changed) last.set(v.key, toWire(v));
      truth.push([...last.values()]);
      raw.push(new Map(changed.map((v) => [v.key, v])));
      next += TICK_MS;
    }
  };
  for (const { timeMs, frame } of tlogEntries(fixture)) {
    tickTo(timeMs);
    registry.ingest(decodeFrame(frame), "tlog", frame.bytes.length, timeMs);
  }
  return { sent, truth, raw };
}

describe("frames of changes", () => {
  it("a screen merging every frame of a real flight holds exactly the server's state after each tick", () => {
    const { sent, truth, raw } = framesOf("copter_flight_1.tlog", 5000);
    expect(sent.length).toBeGreaterThan(1000);
    // One screen watching the vehicle (frames and its detail), one not (frames only).
    const watching = new Map<string, VehicleState>();
    const overview = new Map<string, VehicleState>();
    const noDetail = (v: VehicleState) => ({ ...v, ...Object.fromEntries(DETAIL_FIELDS.map((k) => [k, null])), link: null });
    let wholeBytes = 0;
    let deltaBytes = 0;
    let detailChanges = 0;
    sent.forEach((frame, i) => {
      for (const screen of [watching, overview]) {
        for (const patch of frame.vehicles) {
          const v = mergeVehicle(screen.get(patch.key), patch);
          expect(v, `tick ${i}: a change to a vehicle the screen never had whole`).not.toBeNull();
          screen.set(patch.key, v!);
        }
      }
      for (const d of frame.details) watching.set(d.key, { ...watching.get(d.key)!, ...d });
      for (const v of truth[i]!) {
        // Exact, at wire precision, but for the link counters: those may be up to a second old, never the link's state.
        const held = watching.get(v.key)!;
        expect(sameValue({ ...held, link: null }, { ...v, link: null }), `tick ${i}`).toBe(true);
        expect(held.link.state).toBe(v.link.state);
        expect(v.link.lastHeartbeat - held.link.lastHeartbeat).toBeLessThanOrEqual(LINK_EVERY_MS + 1000);
        // The screen not watching holds the same but for the detail fields.
        const other = overview.get(v.key)!;
        expect(sameValue(noDetail(other), noDetail(v)), `tick ${i}`).toBe(true);
        if (!sameValue(other.attitude, v.attitude)) detailChanges += 1;
      }
      const patches = frame.vehicles.filter((p) => !isWholeVehicle(p));
      deltaBytes += JSON.stringify(patches).length;
      wholeBytes += JSON.stringify(patches.map((p) => raw[i]!.get(p.key))).length;
    });
    // What the change frames weigh against each changed vehicle sent whole, on this flight: 14 % with the detail
    // fields, 10 % without.
    expect(deltaBytes / wholeBytes).toBeLessThan(0.12);
    // The flight's attitude changes all the time: a screen not watching holds it stale (so it must not draw it).
    expect(detailChanges).toBeGreaterThan(sent.length / 2);
  });

  it("sends the vehicle whole and the list of vehicles every few seconds, and nothing for a vehicle with nothing new", () => {
    const { sent } = framesOf("copter_flight_1.tlog", 3000);
    const wholeAt = sent.flatMap((f, i) => (f.vehicles.some(isWholeVehicle) ? [i] : []));
    const fleetAt = sent.flatMap((f, i) => (f.fleet ? [i] : []));
    expect(fleetAt[0]).toBe(0);
    for (const at of [wholeAt, fleetAt]) {
      expect(at.length).toBeGreaterThan(10);
      for (let k = 1; k < at.length; k++) expect(at[k]! - at[k - 1]!).toBe(3000 / TICK_MS);
    }
    // Every vehicle sent so far (the flight has one, the first frames none).
    for (const f of fleetAt) expect(sent[f]!.fleet).toEqual([...new Set(sent.slice(0, f + 1).flatMap((s) => s.vehicles.map((p) => p.key)))]);
    expect(sent.at(-1)!.fleet ?? sent[fleetAt.at(-1)!]!.fleet).toEqual(["1:1"]);
    for (const f of sent) for (const p of f.vehicles) expect(Object.keys(p).length).toBeGreaterThan(1);
  });
});

describe("the refresh of a fleet", () => {
  const fleetOf = (n: number, time: number): VehicleState[] => Array.from({ length: n }, (_, i) => ({
    ...EVERY_FIELD, key: `${i + 1}:1` as VehicleKey, sysid: i + 1, lastUpdate: time,
  }));

  it("sends each of 200 vehicles whole once every 10 s, one or two a 50 ms frame, never the whole fleet at once", () => {
    const d = new FrameDeltas(10_000);
    const fleet = fleetOf(200, 0);
    expect(d.frame(fleet, 0).vehicles).toHaveLength(200);
    const lastWhole = new Map(fleet.map((v) => [v.key, 0]));
    let most = 0;
    for (let t = 50; t <= 60_000; t += 50) {
      // A tenth of the fleet changes a field each frame: their patches stay patches unless refreshed.
      const changed = fleet.filter((_, i) => (i + t / 50) % 10 === 0).map((v) => ({ ...v, mode: `M${t}` }));
      const { vehicles, fleet: listed } = d.frame(changed, t);
      const whole = vehicles.filter(isWholeVehicle);
      most = Math.max(most, whole.length);
      expect(new Set(vehicles.map((p) => p.key)).size).toBe(vehicles.length);
      for (const v of whole) {
        expect(t - lastWhole.get(v.key)!).toBeLessThanOrEqual(10_000);
        lastWhole.set(v.key, t);
      }
      if (listed) expect(listed).toHaveLength(200);
    }
    expect(most).toBeLessThanOrEqual(2);
    for (const at of lastWhole.values()) expect(60_000 - at).toBeLessThan(10_000);
  });

  it("refreshes a vehicle as it is now when told, so a silent vehicle's link age and rate move on screens", () => {
    const [a] = fleetOf(1, 0) as [VehicleState];
    // Silent since: nothing changed, so no patch; its link's age and rate are what moved.
    const now: VehicleState = { ...a, link: { ...a.link, heartbeatAgeMs: a.link.heartbeatAgeMs + 900, bytesPerSecond: 0 } };
    const refreshed = (current?: (key: VehicleKey) => VehicleState | undefined) => {
      const d = new FrameDeltas(1000);
      d.frame([a], 0);
      const sent: VehiclePatch[] = [];
      for (let t = 100; t <= 1000; t += 100) sent.push(...d.frame([], t, current).vehicles);
      return sent;
    };
    expect(refreshed((key) => (key === a.key ? now : undefined))).toEqual([toWire(now)]);
    // Without it (or for a vehicle it does not know), as at its last change.
    expect(refreshed()).toEqual([toWire(a)]);
    expect(refreshed(() => undefined)).toEqual([toWire(a)]);
  });

  it("mends a wrong copy within the refresh, and the list of vehicles drops one the screen missed the removal of", () => {
    const d = new FrameDeltas(1000);
    const [a, b] = fleetOf(2, 0) as [VehicleState, VehicleState];
    d.frame([a, b], 0);
    // A screen that holds a wrong mode for vehicle a, and a vehicle c the server removed meanwhile.
    const screen = new Map<string, VehicleState>([[a.key, { ...a, mode: "WRONG" }], [b.key, b], ["9:1", { ...a, key: "9:1" }]]);
    let lists = 0;
    for (let t = 100; t <= 1000; t += 100) {
      const f = d.frame([], t);
      if (f.fleet) {
        lists += 1;
        expect([...f.fleet].sort()).toEqual([a.key, b.key]);
      }
      // As a screen applies a frame: each patch merged, then what the list of vehicles leaves out dropped.
      expect(mergeFrame(screen, { time: t, seq: t, ...f }).unusable).toEqual([]);
    }
    expect(lists).toBe(1);
    expect(screen.get(a.key)!.mode).toBe(a.mode);
    expect([...screen.keys()].sort()).toEqual([a.key, b.key]);
  });
});

describe("FrameDeltas and mergeVehicle", () => {
  const { batteryState: _b, fence: _f, sensorsUnhealthy: _s, ...required } = EVERY_FIELD;
  const base: VehicleState = { ...required, key: "1:1", lastUpdate: 5, mode: "LOITER", statusTexts: [{ time: 1, severity: "info", text: "a" }], attitude: null, groundSpeed: null, airSpeed: null, climb: null };

  it("carries only the fields that changed, by value, and merges them back; the detail fields only when new", () => {
    const d = new FrameDeltas(60_000);
    expect(d.delta([base], 0)).toEqual([base]);
    const next: VehicleState = { ...base, mode: "RTL", statusTexts: [{ time: 1, severity: "info", text: "a" }] };
    expect(d.delta([next], 100)).toEqual([{ key: "1:1", mode: "RTL" }]);
    expect(d.delta([{ ...next, statusTexts: [{ time: 1, severity: "info", text: "a" }] }], 200)).toEqual([]);
    expect(mergeVehicle(base, { key: "1:1", mode: "RTL" })).toEqual(next);
    expect(d.held()).toEqual([next]);
    // Attitude, air speed and the time of the last packet go to the vehicle's watchers (toDetail), not in frames.
    const moved = { ...next, lastUpdate: 7, attitude: { roll: 0.123456, pitch: 0, yaw: 1 }, airSpeed: 3.14159 } as VehicleState;
    expect(d.delta([moved], 300)).toEqual([]);
    expect(toDetail(moved)).toEqual({ key: "1:1", lastUpdate: 7, attitude: { roll: 0.1235, pitch: 0, yaw: 1 }, airSpeed: 3.14 });
    // A refresh has them as they are then.
    expect(d.frame([], 60_000).vehicles).toEqual([toWire(moved)]);
  });

  it("sends the heading in whole degrees, so a heading turning within a degree is not in every frame", () => {
    const d = new FrameDeltas(60_000);
    expect(d.delta([{ ...base, heading: 98.74 }], 0)).toEqual([{ ...base, heading: 99 }]);
    expect(d.delta([{ ...base, heading: 98.9 }], 100)).toEqual([]);
    expect(d.delta([{ ...base, heading: 359.6 }], 200)).toEqual([{ key: "1:1", heading: 0 }]);
    expect(d.delta([{ ...base, heading: null }], 300)).toEqual([{ key: "1:1", heading: null }]);
    expect(toWire({ ...base, heading: 12.5 }).heading).toBe(13);
  });

  it("sends a new position as MAVLink's integers when they give it back exactly, else as it is", () => {
    const d = new FrameDeltas(60_000);
    d.delta([base], 0);
    // As decoded: 515093825 / 1e7, -1282064 / 1e7, 38716 / 1000, 28716 / 1000.
    const decoded = { lat: 515093825 / 1e7, lon: -1282064 / 1e7, altAmsl: 38716 / 1000, altRelative: 28716 / 1000 };
    const [patch] = d.delta([{ ...base, position: decoded }], 100);
    expect(patch).toEqual({ key: "1:1", positionE7: [515093825, -1282064, 38716, 28716] });
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify({ key: "1:1", position: decoded }).length * 2 / 3);
    expect(mergeVehicle(base, patch!)!.position).toEqual(decoded);
    expect(Object.is(mergeVehicle(base, patch!)!.position!.lat, decoded.lat)).toBe(true);
    // Finer than MAVLink's units (not from the decoder): sent as it is, never rounded.
    const finer = { ...decoded, lat: 51.50938251234 };
    expect(d.delta([{ ...base, position: finer }], 200)).toEqual([{ key: "1:1", position: finer }]);
    expect(d.delta([{ ...base, position: null }], 300)).toEqual([{ key: "1:1", position: null }]);
  });

  it("sends new status texts alone, which a screen appends and trims as the server does; a list gone another way goes whole", () => {
    const d = new FrameDeltas(60_000);
    const text = (n: number): StatusText => ({ time: n, severity: "info", text: `Reached command #${n}` });
    let screen: VehicleState = base;
    d.delta([base], 0);
    let v: VehicleState = base;
    // One text at a time, past the limit: each frame carries the new one alone, and the screen's list is the server's.
    for (let n = 2; n < STATUS_TEXT_LIMIT + 5; n++) {
      v = { ...v, statusTexts: [...v.statusTexts, text(n)].slice(-STATUS_TEXT_LIMIT) };
      const [patch] = d.delta([v], n * 100);
      expect(patch).toEqual({ key: "1:1", statusTextsAdded: [text(n)] });
      screen = mergeVehicle(screen, patch!)!;
      expect(screen.statusTexts).toEqual(v.statusTexts);
    }
    // Three in one tick, on a copy made elsewhere (the same texts as new objects, as a mirrored vehicle has them).
    v = { ...v, statusTexts: structuredClone([...v.statusTexts, text(100), text(101), text(102)].slice(-STATUS_TEXT_LIMIT)) };
    const [three] = d.delta([v], 10_000);
    expect(three).toEqual({ key: "1:1", statusTextsAdded: [text(100), text(101), text(102)] });
    screen = mergeVehicle(screen, three!)!;
    expect(screen.statusTexts).toEqual(v.statusTexts);
    // Not a continuation (a list begun afresh): the whole list.
    v = { ...v, statusTexts: [text(200)] };
    expect(d.delta([v], 10_100)).toEqual([{ key: "1:1", statusTexts: [text(200)] }]);
    // The same text twice in a row is two texts.
    v = { ...v, statusTexts: [text(200), text(200)] };
    const [twice] = d.delta([v], 10_200);
    expect(twice).toEqual({ key: "1:1", statusTextsAdded: [text(200)] });
    expect(mergeVehicle({ ...screen, statusTexts: [text(200)] }, twice!)!.statusTexts).toEqual([text(200), text(200)]);
  });

  it("sends a vehicle whole when it is new or lost a field, and a screen refuses a change to a vehicle it never had whole", () => {
    const d = new FrameDeltas(60_000);
    const withFence = { ...base, fence: null } as VehicleState;
    d.delta([withFence], 0);
    expect(d.delta([base], 100)).toEqual([base]);
    expect(mergeVehicle(undefined, { key: "1:1", lastUpdate: 6 })).toBeNull();
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });

  it("sends each field of a vehicle when it changes, alone (the detail fields to watchers only)", () => {
    // EVERY_FIELD has every field of VehicleState (the compiler sees to it): a field added there and not compared by
    // FrameDeltas fails here.
    const fields = Object.keys(EVERY_FIELD).filter((k) => k !== "key") as (keyof VehicleState)[];
    expect(fields.length).toBeGreaterThanOrEqual(29);
    for (const k of fields) {
      const d = new FrameDeltas(60_000);
      d.delta([EVERY_FIELD], 0);
      const changed: VehicleState = { ...EVERY_FIELD, [k]: EVERY_FIELD_OTHER[k] };
      const patches = d.delta([changed], LINK_EVERY_MS);
      if ((DETAIL_FIELDS as readonly string[]).includes(k)) {
        expect(patches, k).toEqual([]);
        continue;
      }
      // The position goes in its integer form (the test data's positions are such, as the decoder makes them).
      const sent = k === "position" ? { positionE7: toPositionE7(EVERY_FIELD_OTHER.position!) } : { [k]: EVERY_FIELD_OTHER[k] };
      expect(patches, k).toEqual([{ key: "7:1", ...sent }]);
      expect(mergeVehicle(EVERY_FIELD, patches[0]!), k).toEqual(changed);
      // The same again, as another object holding the same values: nothing to send.
      expect(d.delta([{ ...changed, [k]: structuredClone(EVERY_FIELD_OTHER[k]) }], 2 * LINK_EVERY_MS), k).toEqual([]);
    }
  });
});

const fleetVehicle = (sysid: number, mode = "LOITER"): VehicleState => ({ ...EVERY_FIELD, key: `${sysid}:1` as VehicleKey, sysid, mode });

describe("mergeFrame", () => {
  it("merges patches, takes whole vehicles, drops what a frame removes or its fleet list leaves out, and names unusable patches", () => {
    const held = new Map<string, VehicleState>([["1:1", fleetVehicle(1)], ["2:1", fleetVehicle(2)], ["3:1", fleetVehicle(3)]]);
    const first = mergeFrame(held, {
      time: 1, seq: 1, vehicles: [{ key: "1:1", mode: "RTL" }, fleetVehicle(4), { key: "9:1", mode: "LAND" }], removed: ["2:1"],
    });
    expect(first.vehicles.map((v) => [v.key, v.mode])).toEqual([["1:1", "RTL"], ["4:1", "LOITER"]]);
    // A patch to a vehicle never held whole cannot be used: it is named, and nothing is made up for it.
    expect(first.unusable).toEqual(["9:1"]);
    expect([...held.keys()].sort()).toEqual(["1:1", "3:1", "4:1"]);
    expect(held.get("1:1")).toEqual(fleetVehicle(1, "RTL"));

    // The list of the fleet: 3 is gone (this copy missed its removal); 5, not held, is not made up from a name.
    mergeFrame(held, { time: 2, seq: 2, vehicles: [], fleet: ["1:1", "4:1", "5:1"] });
    expect([...held.keys()].sort()).toEqual(["1:1", "4:1"]);

    // A full frame replaces the copy.
    const full = mergeFrame(held, { time: 3, seq: 3, vehicles: [fleetVehicle(6)], full: true });
    expect(full.unusable).toEqual([]);
    expect([...held.keys()]).toEqual(["6:1"]);
  });
});
