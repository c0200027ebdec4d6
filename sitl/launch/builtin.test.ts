import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { builtinVehicles, launchBuiltin, parseFaults, readMission } from "./builtin";
import { DEFAULT_HOME } from "./homes";
import { missionHome } from "./missions";
import { MavSession } from "./session";
import { assignSysid } from "./sysid";
import type { Launched } from "./types";

const logger = pino({ level: "silent" });
let launched: Launched | null = null;
afterEach(async () => {
  await launched?.stop();
  launched = null;
});

describe("launchBuiltin", () => {
  it("serves each simulated vehicle on its own TCP port with its own system id", async () => {
    launched = await launchBuiltin({
      vehicles: builtinVehicles(2, 7, DEFAULT_HOME, null), transport: { kind: "tcp", basePort: 0 }, fastBoot: true, logger,
    });
    expect(launched.links).toHaveLength(2);
    expect(launched.sysids).toEqual([7, 8]);
    for (const [i, url] of launched.links.entries()) {
      const session = new MavSession(url, logger);
      await session.open();
      const hb = await session.waitFor((m) => m.name === "HEARTBEAT", 3000);
      await session.close();
      expect(hb?.sysid).toBe(7 + i);
    }
  });

  it("stands in for ArduPilot SITL in the system-id handshake (MAV_SYSID, then reboot)", async () => {
    launched = await launchBuiltin({
      vehicles: builtinVehicles(1, 1, DEFAULT_HOME, null), transport: { kind: "tcp", basePort: 0 }, fastBoot: true, logger,
    });
    const r = await assignSysid(launched.links[0]!, 5, { paramName: "auto", logger, bootTimeoutMs: 5000, confirm: true });
    expect(r).toMatchObject({ from: 1, to: 5, paramName: "MAV_SYSID", rebootResult: 0 });
  }, 20_000);
});

describe("builtinVehicles", () => {
  it("starts vehicle 0 at the mission's home and moves the mission along for the others", () => {
    const items = readMission("missions/inspection-tower-bridge.waypoints");
    const vs = builtinVehicles(2, 1, null, items);
    expect(vs[0]!.home).toEqual(missionHome(items));
    expect(missionHome(vs[0]!.mission!)).toEqual(vs[0]!.home);
    expect(missionHome(vs[1]!.mission!)).toEqual(vs[1]!.home);
    expect(vs[1]!.mission![3]!.y - items[3]!.y).toBe(vs[1]!.mission![0]!.y - items[0]!.y);
    expect(vs[1]!.mission![1]).toEqual(items[1]); // takeoff has no position
  });
});

describe("parseFaults", () => {
  it("reads one schedule for all, or per vehicle, inline or from a file", () => {
    const all = parseFaults('[{"at": 30000, "fault": "silence", "durationMs": 8000}]', 2);
    expect(all).toEqual([[{ at: 30000, fault: "silence", durationMs: 8000 }], [{ at: 30000, fault: "silence", durationMs: 8000 }]]);
    const dir = mkdtempSync(path.join(os.tmpdir(), "faults-"));
    const file = path.join(dir, "faults.json");
    writeFileSync(file, '{"1": [{"at": 1000, "fault": "gpsLoss"}]}');
    try {
      expect(parseFaults(file, 2)).toEqual([undefined, [{ at: 1000, fault: "gpsLoss" }]]);
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(() => parseFaults('{"5": []}', 2)).toThrow(/vehicle index 5/);
    expect(() => parseFaults('[{"at": -1, "fault": "nope"}]', 1)).toThrow();
  });
});
