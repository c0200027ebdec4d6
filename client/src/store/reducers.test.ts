import { describe, expect, it } from "vitest";
import type { LinkEvent, StatusTextEvent, TrailPoint, VehicleEvent } from "../../../server/protocol";
import { frameOf, makeVehicle, moved, snapshotOf, T0 } from "../test/vehicles";
import { ALERTS_MAX } from "./alerts";
import { applyDetail, applyEvents, applyFrame, applyServerTrails, applySnapshot, applyStatusText, initialData, resetData } from "./reducers";
import { TRAIL_MAX_POINTS } from "./trail";
import type { AppData } from "./types";

const statustext = (n: number, key: "1:1" | "2:1" = "1:1"): StatusTextEvent => ({
  key,
  status: { time: T0 + n, severity: n % 2 ? "warning" : "info", text: `message ${n}` },
});

function withVehicles(...sysids: number[]): AppData {
  return applySnapshot(initialData(), snapshotOf(sysids.map((id) => makeVehicle(id))), T0);
}

describe("applyServerTrails (live trails after the snapshot)", () => {
  const track = (from: number, to: number): TrailPoint[] =>
    Array.from({ length: to - from }, (_, i) => ({ lat: 51.5 + (from + i) * 1e-4, lon: -0.12, altAmsl: 40, time: T0 + (from + i) * 1000 }));

  it("takes the server's track, then the points this screen drew since (frames between the snapshot and the trails)", () => {
    const v = makeVehicle(1);
    const s = applySnapshot(initialData(), snapshotOf([v]), T0);
    const ours = { ...s, trails: { "1:1": [...track(-3, -1), ...track(5, 8)] } };
    const after = applyServerTrails(ours, { "1:1": track(-20, 5) });
    expect(after.trails["1:1"]!.map((p) => (p.time - T0) / 1000)).toEqual([...Array.from({ length: 25 }, (_, i) => i - 20), 5, 6, 7]);
  });

  it("leaves out vehicles gone meanwhile and empty trails, and keeps at most TRAIL_MAX_POINTS", () => {
    const s = withVehicles(1, 2);
    const same = applyServerTrails(s, { "3:1": track(0, 5), "2:1": [] });
    expect(same).toBe(s);
    const long = applyServerTrails({ ...s, trails: { "1:1": track(0, TRAIL_MAX_POINTS) } }, { "1:1": track(-10, 0) });
    expect(long.trails["1:1"]).toHaveLength(TRAIL_MAX_POINTS);
    expect(long.trails["1:1"]!.at(-1)!.time).toBe(T0 + (TRAIL_MAX_POINTS - 1) * 1000);
  });
});

describe("applySnapshot", () => {
  it("replaces vehicles and links", () => {
    const before = withVehicles(1, 2);
    const after = applySnapshot(before, { time: T0 + 1000, vehicles: [makeVehicle(3)], links: [], trails: {} }, T0 + 1000);
    expect(Object.keys(after.vehicles)).toEqual(["3:1"]);
  });

  it("keeps trails across a snapshot (reconnect) and extends them", () => {
    const v = makeVehicle(1);
    const s1 = applySnapshot(initialData(), snapshotOf([v]), T0);
    const s2 = applySnapshot(s1, snapshotOf([moved(v, 5)], T0 + 5000), T0 + 5000);
    expect(s2.trails["1:1"]).toHaveLength(2);
  });

  it("takes the server's track of a vehicle, so a screen opened mid-flight shows where it has been", () => {
    const v = makeVehicle(1);
    const p = v.position!;
    const track = [0, 10, 20].map((m, i) => ({ lat: p.lat - (30 - m) / 111_195, lon: p.lon, altAmsl: p.altAmsl, time: T0 - 3000 + i * 1000 }));
    const s = applySnapshot(initialData(), { ...snapshotOf([v]), trails: { "1:1": track } }, T0);
    expect(s.trails["1:1"]).toHaveLength(4);
    expect(s.trails["1:1"]?.[0]).toEqual(track[0]);
  });

  it("keeps its own trail of a vehicle the server has no track for (server restarted)", () => {
    const v = makeVehicle(1);
    const s1 = applySnapshot(initialData(), snapshotOf([v]), T0);
    const s2 = applySnapshot(applyFrame(s1, frameOf([moved(v, 5)], 1), T0 + 100), { ...snapshotOf([moved(v, 5)], T0 + 200), trails: { "1:1": [] } }, T0 + 200);
    expect(s2.trails["1:1"]).toHaveLength(2);
  });

  it("does not log a timeline event twice (in the snapshot of a screen that joined just before it, then batched)", () => {
    const mode: VehicleEvent = { key: "1:1", time: T0 - 10, kind: "mode_change", from: "LOITER", to: "RTL", commanded: false };
    const s = applySnapshot(initialData(), { ...snapshotOf([makeVehicle(1)]), events: [mode] }, T0);
    const after = applyEvents(s, [{ kind: "vehicleEvent", event: { ...mode } }]);
    expect(after.vehicleEvents).toEqual([mode]);
    // The same moment but another mode, or another vehicle, is another event.
    const other = applyEvents(after, [{ kind: "vehicleEvent", event: { ...mode, to: "LAND" } }, { kind: "vehicleEvent", event: { ...mode, key: "2:1" } }]);
    expect(other.vehicleEvents).toHaveLength(3);
  });

  it("measures the server clock offset", () => {
    const s = applySnapshot(initialData(), snapshotOf([], T0), T0 - 250);
    expect(s.clockOffsetMs).toBe(250);
  });

  it("seeds alerts from the vehicles' status texts once, even across reconnects", () => {
    const v = makeVehicle(1, { statusTexts: [{ time: T0, severity: "critical", text: "PreArm: GPS" }] });
    const s1 = applySnapshot(initialData(), snapshotOf([v]), T0);
    const s2 = applySnapshot(s1, snapshotOf([v]), T0 + 10);
    expect(s2.alerts.map((a) => a.text)).toEqual(["PreArm: GPS"]);
  });
});

describe("applyDetail", () => {
  it("merges a watched vehicle's attitude, air speed and last packet time; ignores a vehicle this screen does not hold", () => {
    const before = withVehicles(1, 2);
    const v2 = before.vehicles["2:1"];
    const attitude = { roll: 0.1, pitch: -0.05, yaw: 2 };
    const after = applyDetail(before, { time: T0 + 100, vehicles: [{ key: "1:1", attitude, airSpeed: 7.5, lastUpdate: T0 + 90 }, { key: "9:1", attitude, airSpeed: 1, lastUpdate: T0 }] });
    expect(after.vehicles["1:1"]).toEqual({ ...before.vehicles["1:1"], attitude, airSpeed: 7.5, lastUpdate: T0 + 90 });
    expect(after.vehicles["2:1"]).toBe(v2);
    expect(after.vehicles["9:1"]).toBeUndefined();
    expect(applyDetail(before, { time: T0, vehicles: [] })).toBe(before);
  });
});

describe("applyFrame", () => {
  it("merges changed vehicles and keeps the others by reference", () => {
    const before = withVehicles(1, 2);
    const v2 = before.vehicles["2:1"];
    const after = applyFrame(before, frameOf([makeVehicle(1, { mode: "RTL" })], 1), T0 + 100);
    expect(after.vehicles["1:1"]?.mode).toBe("RTL");
    expect(after.vehicles["2:1"]).toBe(v2);
    expect(after.lastFrameSeq).toBe(1);
  });

  it("follows the server clock offset, ignoring jitter below the tolerance", () => {
    const s = withVehicles(1); // offset 0
    expect(applyFrame(s, frameOf([], 1, T0 + 1000), T0 + 1000 - 40).clockOffsetMs).toBe(0);
    expect(applyFrame(s, frameOf([], 1, T0 + 1000), T0 + 1000 - 900).clockOffsetMs).toBe(900);
  });

  it("takes a position sent as integers (positionE7) and new status texts alone: the vehicle moves, its trail grows, its texts append", () => {
    const before = withVehicles(1);
    const v = before.vehicles["1:1"]!;
    const frame = {
      time: T0 + 100, seq: 1,
      vehicles: [{ key: "1:1" as const, positionE7: [515080000, -1276000, 45000, 30500] as [number, number, number, number],
        statusTextsAdded: [{ time: T0 + 90, severity: "info" as const, text: "Reached command #1" }] }],
    };
    const after = applyFrame(before, frame, T0 + 100);
    expect(after.vehicles["1:1"]!.position).toEqual({ lat: 51.508, lon: -0.1276, altAmsl: 45, altRelative: 30.5 });
    expect(after.vehicles["1:1"]!.statusTexts).toEqual([...v.statusTexts, frame.vehicles[0]!.statusTextsAdded[0]]);
    expect(after.vehicles["1:1"]).not.toHaveProperty("positionE7");
    expect(after.vehicles["1:1"]).not.toHaveProperty("statusTextsAdded");
    expect(after.trails["1:1"]!.at(-1)).toMatchObject({ lat: 51.508, lon: -0.1276 });
    expect(after.trails["1:1"]!.length).toBeGreaterThan(before.trails["1:1"]?.length ?? 0);
  });

  it("drops the vehicles the server forgot, with their trails", () => {
    const before = applyFrame(withVehicles(1, 2), frameOf([moved(makeVehicle(2), 5)], 1), T0 + 100);
    expect(before.trails["2:1"]).toBeDefined();
    const after = applyFrame(before, { ...frameOf([], 2), removed: ["2:1"] }, T0 + 200);
    expect(Object.keys(after.vehicles)).toEqual(["1:1"]);
    expect(after.trails["2:1"]).toBeUndefined();
    expect(after.lastFrameSeq).toBe(2);
  });

  it("drops, with their trails, the vehicles a frame's list of the fleet leaves out (a removal this screen missed)", () => {
    const before = applyFrame(withVehicles(1, 2, 3), frameOf([moved(makeVehicle(2), 5)], 1), T0 + 100);
    expect(before.trails["2:1"]).toBeDefined();
    // The list names vehicle 4, which this screen does not hold yet: it comes whole with its refresh, not from a name.
    const after = applyFrame(before, { ...frameOf([], 2), fleet: ["1:1", "3:1", "4:1"] }, T0 + 200);
    expect(Object.keys(after.vehicles).sort()).toEqual(["1:1", "3:1"]);
    expect(after.trails["2:1"]).toBeUndefined();
    // A frame without the list drops nothing.
    expect(Object.keys(applyFrame(after, frameOf([], 3), T0 + 300).vehicles).sort()).toEqual(["1:1", "3:1"]);
  });

  it("adds a vehicle first seen in a frame", () => {
    const after = applyFrame(withVehicles(1), frameOf([makeVehicle(7)], 1), T0);
    expect(Object.keys(after.vehicles).sort()).toEqual(["1:1", "7:1"]);
  });

  it("grows the trail only when the vehicle moved more than 0.5 m", () => {
    let s = withVehicles(1);
    let v = s.vehicles["1:1"]!;
    const steps = [0.2, 0.2, 0.3, 2, 0.1];
    steps.forEach((m, i) => {
      v = moved(v, m);
      s = applyFrame(s, frameOf([v], i + 1), T0);
    });
    // Start, then after 0.7 m, then after 2 m; the 0.2+0.2 and the final 0.1 are below the threshold.
    expect(s.trails["1:1"]).toHaveLength(3);
  });

  it("keeps the trail array identity when nothing moved", () => {
    const s = withVehicles(1);
    const after = applyFrame(s, frameOf([makeVehicle(1, { mode: "LOITER" })], 1), T0);
    expect(after.trails).toBe(s.trails);
  });

  it("bounds the trail", () => {
    let s = withVehicles(1);
    let v = s.vehicles["1:1"]!;
    for (let i = 1; i <= TRAIL_MAX_POINTS + 10; i++) {
      v = moved(v, 1, T0 + i);
      s = applyFrame(s, frameOf([v], i), T0);
    }
    expect(s.trails["1:1"]).toHaveLength(TRAIL_MAX_POINTS);
  });

  it("does not add trail points for a vehicle without a position", () => {
    const s = applyFrame(initialData(), frameOf([makeVehicle(4, { position: null })], 1), T0);
    expect(s.trails["4:1"]).toBeUndefined();
    expect(s.vehicles["4:1"]).toBeDefined();
  });
});

describe("status texts", () => {
  it("lists alerts newest first", () => {
    let s = initialData();
    for (let n = 1; n <= 3; n++) s = applyStatusText(s, statustext(n));
    expect(s.alerts.map((a) => a.text)).toEqual(["message 3", "message 2", "message 1"]);
    expect(s.alerts[0]?.severity).toBe("warning");
    expect(new Set(s.alerts.map((a) => a.id)).size).toBe(3);
  });

  it("is bounded", () => {
    let s = initialData();
    for (let n = 1; n <= ALERTS_MAX + 20; n++) s = applyStatusText(s, statustext(n, n % 2 ? "1:1" : "2:1"));
    expect(s.alerts).toHaveLength(ALERTS_MAX);
    expect(s.alerts[0]?.text).toBe(`message ${ALERTS_MAX + 20}`);
    expect(s.alerts[ALERTS_MAX - 1]?.text).toBe("message 21");
  });

  it("ignores an exact repeat of the same text from the same vehicle at the same time", () => {
    const s = applyStatusText(applyStatusText(initialData(), statustext(1)), statustext(1));
    expect(s.alerts).toHaveLength(1);
  });
});

describe("link events", () => {
  const lost: LinkEvent = { key: "1:1", state: "lost", time: T0 + 6000, heartbeatAgeMs: 5200 };
  const regained: LinkEvent = { key: "1:1", state: "regained", time: T0 + 20_000, heartbeatAgeMs: 14_000 };

  it("marks the vehicle lost and raises a critical alert", () => {
    const s = applyEvents(withVehicles(1), [{ kind: "link", event: lost, receivedAt: T0 }]);
    expect(s.vehicles["1:1"]?.link.state).toBe("lost");
    expect(s.linkEvents).toEqual([lost]);
    expect(s.alerts[0]).toMatchObject({ key: "1:1", severity: "critical", source: "link", text: "Link lost: no heartbeat for 5.2 s" });
  });

  it("marks it ok again on regain, with a fresh heartbeat time", () => {
    const s = applyEvents(withVehicles(1), [
      { kind: "link", event: lost, receivedAt: T0 },
      { kind: "link", event: regained, receivedAt: T0 },
    ]);
    expect(s.vehicles["1:1"]?.link.state).toBe("ok");
    expect(s.vehicles["1:1"]?.link.lastHeartbeat).toBe(regained.time);
    expect(s.linkEvents.map((e) => e.state)).toEqual(["regained", "lost"]);
    expect(s.alerts.map((a) => a.severity)).toEqual(["notice", "critical"]);
  });

  it("still records events of unknown vehicles", () => {
    const s = applyEvents(initialData(), [{ kind: "link", event: lost, receivedAt: T0 }]);
    expect(s.vehicles).toEqual({});
    expect(s.alerts).toHaveLength(1);
  });
});

describe("applyEvents", () => {
  it("folds a batch in order: a snapshot in the middle wipes earlier vehicles", () => {
    const s = applyEvents(initialData(), [
      { kind: "frame", frame: frameOf([makeVehicle(9)], 1), receivedAt: T0 },
      { kind: "snapshot", snapshot: snapshotOf([makeVehicle(1)]), receivedAt: T0 },
      { kind: "frame", frame: frameOf([makeVehicle(2)], 1), receivedAt: T0 },
      { kind: "connection", connection: { status: "connected", since: T0 } },
    ]);
    expect(Object.keys(s.vehicles).sort()).toEqual(["1:1", "2:1"]);
    expect(s.connection.status).toBe("connected");
  });
});

describe("connection state", () => {
  it("keeps the time of the first disconnection across failed reconnect attempts", () => {
    const s = applyEvents(initialData(), [
      { kind: "connection", connection: { status: "connected", since: T0 } },
      { kind: "connection", connection: { status: "disconnected", reason: "connection closed", since: T0 + 1000, willReconnect: true } },
      { kind: "connection", connection: { status: "disconnected", reason: "websocket error", since: T0 + 3000, willReconnect: true } },
    ]);
    expect(s.connection).toEqual({ status: "disconnected", reason: "websocket error", since: T0 + 1000, willReconnect: true });
    const back = applyEvents(s, [{ kind: "connection", connection: { status: "connected", since: T0 + 5000 } }]);
    expect(back.connection).toEqual({ status: "connected", since: T0 + 5000 });
  });
});

describe("resetData", () => {
  it("clears vehicles, trails and alerts but keeps config and connection", () => {
    const s = applyStatusText(withVehicles(1), statustext(1));
    const r = resetData({ ...s, configLoaded: true, connection: { status: "connected", since: T0 } });
    expect(r.vehicles).toEqual({});
    expect(r.trails).toEqual({});
    expect(r.alerts).toEqual([]);
    expect(r.configLoaded).toBe(true);
    expect(r.connection.status).toBe("connected");
  });
});

describe("open incidents", () => {
  const area = { id: 1, reference: "CAD 1234", title: "Burglary", type: "crime_scene" as const,
    location: { kind: "area" as const, points: [{ lat: 51.5, lon: -0.1 }, { lat: 51.51, lon: -0.1 }, { lat: 51.51, lon: -0.11 }] } };
  const point = { id: 2, reference: "CAD 99", title: "Missing child", type: "missing_person" as const,
    location: { kind: "point" as const, lat: 51.5, lon: -0.12, radiusM: 300 } };

  it("takes the list from the snapshot and replaces it whole on each incidents:open", () => {
    const s1 = applySnapshot(initialData(), { ...snapshotOf([]), incidents: [area] }, T0);
    expect(s1.incidents).toEqual([area]);
    const s2 = applyEvents(s1, [{ kind: "incidents", incidents: [point] }]);
    expect(s2.incidents).toEqual([point]);
    expect(applyEvents(s2, [{ kind: "incidents", incidents: [] }]).incidents).toEqual([]);
  });

  it("keeps the list through a snapshot from a server that sends none", () => {
    const s1 = applyEvents(initialData(), [{ kind: "incidents", incidents: [area] }]);
    expect(applySnapshot(s1, snapshotOf([]), T0).incidents).toEqual([area]);
  });
});
