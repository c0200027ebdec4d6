import { describe, expect, it } from "vitest";
import { MavlinkEncoder, MavlinkFramer, readTlogFile, resealFrame, vehicleHeartbeat, withIds } from "../mavlink";
import type { Frame } from "../mavlink";
import type { PacketSource, VehicleKey } from "../protocol";
import { VehicleAdmission } from "./admission";
import type { AdmissionOptions } from "./admission-options";

const RADIO = "udp:10.0.0.5:14550";
const OTHER = "udp:10.0.0.9:40000";
const T0 = 1_700_000_000_000;

function frameOf(bytes: Buffer): Frame {
  let out: Frame | null = null;
  new MavlinkFramer((f) => {
    out = { ...f, bytes: Buffer.from(f.bytes), payload: Buffer.from(f.payload) };
  }).push(bytes);
  if (out === null) throw new Error("no frame");
  return out;
}

/** Real ArduCopter packets of the recorded flight, by message id. */
const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
const recorded = new Map(readTlogFile(FIXTURE).entries.map((e) => [e.frame.msgid, Buffer.from(e.frame.bytes)]));

/** A vehicle's packets: heartbeats (a quadcopter by default) and the telemetry ArduPilot streams once asked. */
function vehicle(sysid: number, compid = 1) {
  let seq = 0;
  return {
    heartbeat: (type = 2) => {
      const hb = vehicleHeartbeat(sysid, compid, seq++);
      hb[14] = type; // payload byte 4: MAV_TYPE
      return frameOf(resealFrame(hb));
    },
    gcsHeartbeat: () => frameOf(new MavlinkEncoder({ sysid, compid }).encode({ kind: "gcsHeartbeat" })),
    attitude: () => frameOf(withIds(recorded.get(30)!, sysid, compid)),
    timesync: () => frameOf(withIds(recorded.get(111)!, sysid, compid)),
  };
}

function setup(opts: Partial<AdmissionOptions> = {}) {
  const events: string[] = [];
  const bound: string[] = [];
  const a = new VehicleAdmission(opts, {
    admitted: (key, s) => events.push(`admitted ${key} ${s.peer}`),
    evicted: (key, _s, reason) => events.push(`evicted ${key}: ${reason}`),
    conflict: (key, b: PacketSource, o: PacketSource) => events.push(`conflict ${key} ${b.peer} ${o.peer}`),
    conflictEnded: (key) => events.push(`conflict ended ${key}`),
    sourceChanged: (key: VehicleKey, f, t) => events.push(`moved ${key} ${f.peer} -> ${t.peer}`),
    peerBound: (s, on) => bound.push(`${s.peer} ${on}`),
  });
  return { a, events, bound };
}

/** Two heartbeats a second apart: what a real autopilot sends in its first second. */
function admitVehicle(a: VehicleAdmission, sysid: number, peer = RADIO, t = T0): void {
  const v = vehicle(sysid);
  expect(a.check("link1", peer, v.heartbeat(), t)).toBe("held");
  expect(a.check("link1", peer, v.heartbeat(), t + 1000)).toBe("admitted");
  a.takeReleased();
}

describe("VehicleAdmission", () => {
  it("admits a new id after two consistent heartbeats a second apart, releasing what it sent before, in order", () => {
    const { a, events, bound } = setup();
    const v = vehicle(1);
    expect(a.check("link1", RADIO, v.heartbeat(), T0)).toBe("held");
    expect(a.check("link1", RADIO, v.timesync(), T0 + 300)).toBe("held");
    expect(a.check("link1", RADIO, v.heartbeat(), T0 + 200)).toBe("held"); // too soon: not proof yet
    expect(a.check("link1", RADIO, v.heartbeat(), T0 + 1000)).toBe("admitted");
    const released = a.takeReleased();
    expect(released.map((h) => [h.frame.msgid, h.time - T0])).toEqual([[0, 0], [111, 300], [0, 200]]);
    expect(events).toEqual([`admitted 1:1 ${RADIO}`]);
    expect(bound).toEqual([`${RADIO} true`]);
    expect(a.check("link1", RADIO, v.attitude(), T0 + 1100)).toBe("pass");
    expect(a.peerOf("link1", 1, 1)).toBe(RADIO);
    expect(a.peerOf("link1", 1, 0)).toBe(RADIO);
    expect(a.peerOf("link2", 1, 1)).toBeNull();
    expect(a.status("link1")).toMatchObject({ vehicles: 1, candidates: 0, admitted: 1, refusedIds: 0 });
  });

  it("never admits ids that send one heartbeat each, and bounds what they cost", () => {
    const { a } = setup({ maxCandidates: 1000, maxCandidatesPerLink: 1000 });
    for (let i = 0; i < 10_000; i++) {
      const sysid = 1 + (i % 250);
      const compid = 1 + Math.floor(i / 250);
      expect(a.check("link1", RADIO, vehicle(sysid, compid).heartbeat(), T0 + i)).not.toBe("admitted");
      if (i % 1000 === 999) a.sweep(T0 + i);
    }
    a.sweep(T0 + 20_000);
    const s = a.status("link1");
    expect(s).toMatchObject({ vehicles: 0, candidates: 0, admitted: 0 });
    expect(s.refusedIds).toBe(10_000);
    expect(a.size).toBe(0);
    expect(a.refusedRecently(T0 + 20_000).get("link1")).toBeGreaterThan(0);
  });

  it("starts the proof again when the heartbeat's vehicle type changes (two senders behind one id)", () => {
    const { a } = setup();
    const v = vehicle(3);
    a.check("link1", RADIO, v.heartbeat(2), T0);
    expect(a.check("link1", RADIO, v.heartbeat(1), T0 + 1000)).toBe("held");
    expect(a.check("link1", RADIO, v.heartbeat(1), T0 + 2000)).toBe("admitted");
    expect(a.status("link1").refusedIds).toBe(1);
  });

  it("passes nothing from a peer that hosts no vehicle; lets a ground station beside a vehicle through", () => {
    const { a } = setup();
    const gcs = vehicle(255, 190);
    expect(a.check("link1", RADIO, gcs.gcsHeartbeat(), T0)).toBe("held");
    expect(a.check("link1", RADIO, vehicle(9).attitude(), T0)).toBe("held");
    admitVehicle(a, 1);
    expect(a.check("link1", RADIO, gcs.gcsHeartbeat(), T0 + 2000)).toBe("pass");
    expect(a.check("link1", OTHER, vehicle(254, 190).gcsHeartbeat(), T0 + 2000)).toBe("held");
    a.sweep(T0 + 10_000);
    // Given up without ever claiming to be a vehicle: counted as unknown frames, not as refused vehicles.
    expect(a.status("link1")).toMatchObject({ unknownFrames: 3, refusedIds: 0, candidates: 0 });
  });

  it("admits a second vehicle behind the same router whose first packet was not a heartbeat, and never forgets it", () => {
    const forgotten: string[] = [];
    const a = new VehicleAdmission({}, { forgotten: (key) => forgotten.push(key) });
    admitVehicle(a, 1);
    const v2 = vehicle(2);
    expect(a.check("link1", RADIO, v2.attitude(), T0 + 1500)).toBe("pass");
    expect(a.check("link1", RADIO, v2.heartbeat(), T0 + 2000)).toBe("held");
    expect(a.check("link1", RADIO, v2.heartbeat(), T0 + 3000)).toBe("admitted");
    for (let t = T0 + 4000; t <= T0 + 70_000; t += 1000) {
      a.check("link1", RADIO, v2.attitude(), t);
      a.sweep(t);
    }
    expect(forgotten).toEqual([]);
    expect(a.peerOf("link1", 2, 1)).toBe(RADIO);
  });

  it("keeps a second source out, once per conflict, and lets it take over only after the first fell silent", () => {
    const { a, events } = setup({ lostAfterMs: 5000, conflictQuietMs: 60_000 });
    admitVehicle(a, 1);
    const v = vehicle(1);
    expect(a.check("link1", OTHER, v.attitude(), T0 + 2000)).toBe("foreign");
    expect(a.check("link1", OTHER, v.heartbeat(), T0 + 2500)).toBe("foreign");
    expect(a.check("link1", RADIO, v.heartbeat(), T0 + 3000)).toBe("pass");
    expect(events.filter((e) => e.startsWith("conflict"))).toEqual([`conflict 1:1 ${RADIO} ${OTHER}`]);
    expect(a.status("link1").foreignFrames).toBe(2);
    // The radio falls silent past the link-loss time: a packet in its name is still kept apart, but the vehicle's
    // own heartbeat from the other source is a failover.
    expect(a.check("link1", OTHER, v.attitude(), T0 + 8800)).toBe("foreign");
    expect(a.check("link1", OTHER, v.heartbeat(1), T0 + 8900)).toBe("foreign");
    expect(a.check("link1", OTHER, v.heartbeat(), T0 + 9000)).toBe("pass");
    expect(events).toContain(`moved 1:1 ${RADIO} -> ${OTHER}`);
    expect(a.peerOf("link1", 1, 1)).toBe(OTHER);
    a.sweep(T0 + 70_000);
    expect(events).toContain("conflict ended 1:1");
  });

  it("moves a vehicle at once when its peer disconnected (TCP reconnection, UDP sender timed out)", () => {
    const { a, events } = setup();
    admitVehicle(a, 1);
    expect(a.peerGone("link1", RADIO)).toEqual(["1:1"]);
    expect(a.check("link1", OTHER, vehicle(1).heartbeat(), T0 + 1500)).toBe("pass");
    expect(events.at(-1)).toBe(`moved 1:1 ${RADIO} -> ${OTHER}`);
  });

  it("drops a vehicle that sends only heartbeats, keeps one that streams, forgets one silent for good", () => {
    const { a, events, bound } = setup({ provingMs: 30_000, forgetAfterMs: 600_000 });
    admitVehicle(a, 1);
    admitVehicle(a, 2, OTHER);
    for (let t = T0 + 2000; t <= T0 + 40_000; t += 1000) {
      a.check("link1", RADIO, vehicle(1).heartbeat(), t);
      a.check("link1", OTHER, vehicle(2).heartbeat(), t);
      a.check("link1", OTHER, vehicle(2).attitude(), t);
      a.sweep(t);
    }
    expect(events.filter((e) => e.startsWith("evicted"))).toEqual(["evicted 1:1: sent only heartbeats for 31 s"]);
    expect(bound).toContain(`${RADIO} false`);
    // Benched: its heartbeats after the eviction did not bring it back.
    expect(a.peerOf("link1", 1, 1)).toBeNull();
    expect(events.filter((e) => e === `admitted 1:1 ${RADIO}`)).toHaveLength(1);
    a.sweep(T0 + 40_000 + 600_001);
    expect(events.at(-1)).toBe("evicted 2:1: silent for 10 min");
    expect(a.status("link1")).toMatchObject({ vehicles: 0, evicted: 2 });
  });

  it("refuses a new vehicle when full, unless a vehicle silent past the link-loss time makes room", () => {
    const { a, events } = setup({ maxVehicles: 2, lostAfterMs: 5000 });
    admitVehicle(a, 1);
    admitVehicle(a, 2);
    const v3 = vehicle(3);
    a.check("link1", RADIO, v3.heartbeat(), T0 + 2000);
    expect(a.check("link1", RADIO, v3.heartbeat(), T0 + 3000)).toBe("dropped");
    expect(a.status("link1")).toMatchObject({ vehicles: 2, refusedFull: 1 });
    a.check("link1", RADIO, vehicle(2).heartbeat(), T0 + 8000);
    a.check("link1", RADIO, v3.heartbeat(), T0 + 8000);
    expect(a.check("link1", RADIO, v3.heartbeat(), T0 + 9000)).toBe("admitted");
    expect(events).toContain("evicted 1:1: silent, and its slot was needed for a new vehicle");
  });

  it("holds a bounded number of frames per candidate and in all", () => {
    const v = vehicle(5);
    const budget = v.heartbeat().bytes.length + 4 * v.attitude().bytes.length;
    const { a } = setup({ heldBytesPerCandidate: budget, maxHeldBytes: 10_000 });
    a.check("link1", RADIO, v.heartbeat(), T0);
    for (let i = 0; i < 100; i++) a.check("link1", RADIO, v.attitude(), T0 + i);
    expect(a.check("link1", RADIO, v.heartbeat(), T0 + 1000)).toBe("admitted");
    expect(a.takeReleased().map((h) => h.frame.msgid)).toEqual([0, 30, 30, 30, 30]);
  });
});
