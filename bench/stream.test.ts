import { describe, expect, it } from "vitest";
import { MavlinkFramer, decodeFrame } from "../server/mavlink";
import { generateStream } from "./stream";

describe("the benchmark's generated stream", () => {
  it("is deterministic, valid MAVLink 2, and holds the ArduCopter message mix", () => {
    const a = generateStream(3, 3000);
    const b = generateStream(3, 3000);
    expect(Buffer.concat(a.chunks).equals(Buffer.concat(b.chunks))).toBe(true);
    const kinds = new Map<string, number>();
    const systems = new Set<number>();
    const framer = new MavlinkFramer((f) => {
      const d = decodeFrame(f);
      systems.add(d.sysid);
      const k = d.message.kind === "other" ? d.message.name : d.message.kind;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    });
    for (const c of a.chunks) framer.push(c);
    expect(framer.counters.frames).toBe(a.packets);
    expect(framer.counters.crcErrors + framer.counters.garbageBytes + framer.counters.unknownMessages).toBe(0);
    expect([...systems].sort()).toEqual([1, 2, 3]);
    expect([...kinds.keys()].sort()).toEqual([
      "RC_CHANNELS", "SERVO_OUTPUT_RAW", "attitude", "batteryStatus", "globalPosition", "gpsRaw", "heartbeat",
      "statusText", "sysStatus", "vfrHud",
    ]);
    expect(kinds.get("attitude")! / kinds.get("heartbeat")!).toBeCloseTo(10, 0);
  });
});
