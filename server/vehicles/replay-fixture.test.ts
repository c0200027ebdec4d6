import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, readTlogFile } from "../mavlink";
import type { VehicleState } from "../protocol";
import { VehicleRegistry } from "./registry";

const FIXTURE = path.resolve(__dirname, "../../test/fixtures/copter_flight_1.tlog");

/** Feeds the real ArduCopter flight through the decoder and the registry on the recording's own clock. */
function replay() {
  const { entries, counters } = readTlogFile(FIXTURE);
  const texts: string[] = [];
  const registry = new VehicleRegistry({ lostAfterMs: 5000 }, { statusText: (e) => texts.push(e.status.text) });
  const modes: string[] = [];
  let maxAlt = -Infinity;
  let reached = 0;
  let decodeErrors = 0;
  let last: VehicleState | undefined;
  for (const { timeUs, frame } of entries) {
    const time = timeUs / 1000;
    let decoded;
    try {
      decoded = decodeFrame(frame);
    } catch {
      decodeErrors += 1;
      continue;
    }
    if (decoded.message.kind === "missionItemReached") reached += 1;
    registry.ingest(decoded, "tlog", frame.bytes.length, time);
    last = registry.get("1:1", time);
    if (!last) continue;
    if (modes[modes.length - 1] !== last.mode) modes.push(last.mode);
    if (last.position) maxAlt = Math.max(maxAlt, last.position.altRelative);
  }
  return { counters, texts, modes, maxAlt, reached, decodeErrors, last, registry, entries };
}

describe("the state reducer on the real ArduCopter flight (copter_flight_1.tlog)", () => {
  const r = replay();

  it("decodes every packet without error", () => {
    expect(r.entries.length).toBe(21259);
    expect(r.decodeErrors).toBe(0);
    expect(r.counters.crcErrors).toBe(0);
    expect(r.counters.unknownMessages).toBe(0);
  });

  it("sees one vehicle, an ArduPilot quadcopter", () => {
    expect(r.registry.size).toBe(1);
    expect(r.last?.vehicleClass).toBe("copter");
    expect(r.last?.mavType).toBe(2);
    expect(r.last?.autopilot).toMatch(/ardupilot/i);
  });

  it("flies GUIDED then AUTO and climbs to about 30 m", () => {
    expect(r.modes).toContain("GUIDED");
    expect(r.modes).toContain("AUTO");
    expect(r.modes.indexOf("GUIDED")).toBeLessThan(r.modes.indexOf("AUTO"));
    expect(r.maxAlt).toBeGreaterThan(28);
    expect(r.maxAlt).toBeLessThan(33);
  });

  it("reports six mission items reached", () => {
    expect(r.reached).toBe(6);
    expect(r.last?.mission?.reached).toHaveLength(6);
  });

  it("ends disarmed and landed within a few metres of home", () => {
    const v = r.last;
    expect(v).toBeDefined();
    if (!v?.position || !v.home) throw new Error("no position or home");
    expect(v.armed).toBe(false);
    expect(Math.abs(v.position.altRelative)).toBeLessThan(1);
    const dLat = (v.position.lat - v.home.lat) * 111_320;
    const dLon = (v.position.lon - v.home.lon) * 111_320 * Math.cos((v.home.lat * Math.PI) / 180);
    expect(Math.hypot(dLat, dLon)).toBeLessThan(5);
    expect(v.home.lat).toBeCloseTo(51.5074, 3);
    expect(v.home.lon).toBeCloseTo(-0.1278, 3);
  });

  it("keeps battery, GPS, EKF and link health in SI units", () => {
    const v = r.last;
    if (!v) throw new Error("no vehicle");
    expect(v.battery.voltage).toBeGreaterThan(10);
    expect(v.battery.voltage).toBeLessThan(13);
    expect(v.battery.remaining).toBeGreaterThanOrEqual(0);
    expect(v.battery.remaining).toBeLessThanOrEqual(100);
    expect(v.gps.fix).toBe("rtk_fixed");
    expect(v.gps.satellites).toBeGreaterThan(5);
    expect(v.ekfHealthy).toBe(true);
    // Packets before the first HEARTBEAT belong to no known vehicle yet and are not counted.
    const firstHeartbeat = r.entries.findIndex((e) => e.frame.msgid === 0);
    expect(firstHeartbeat).toBeGreaterThan(0);
    expect(v.link.packetsReceived).toBe(21259 - firstHeartbeat);
    expect(v.link.packetsLost).toBe(0);
    expect(v.link.state).toBe("ok");
  });

  it("collects the vehicle's status texts, e.g. the mission ones", () => {
    expect(r.texts).toContain("Flight plan received");
    expect(r.texts.some((t) => /^Reached command #\d/.test(t))).toBe(true);
    expect(r.last?.statusTexts.length).toBeGreaterThan(0);
  });
});
