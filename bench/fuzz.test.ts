import { describe, expect, it } from "vitest";
import { runFuzz } from "./fuzz";

describe("the fuzz run (a short one; npm run fuzz for a million frames)", () => {
  it("reads every byte, counts the junk, admits only the real vehicle and opens nothing per forged id", async () => {
    const r = await runFuzz({ frames: 30_000, seed: 11, senders: 8 });
    expect(r.counters.bytesIn).toBe(r.sent.bytes);
    expect(r.counters.droppedDatagrams).toBe(0);
    expect(r.counters.crcErrors).toBeGreaterThan(1000);
    expect(r.counters.garbageBytes).toBeGreaterThan(0);
    // Forged ids were heard, and none became a vehicle; the real one did.
    expect(r.sent.byKind["forged-heartbeat"]).toBeGreaterThan(1000);
    expect(r.vehicles).toEqual(["1:1"]);
    expect(r.admission.admitted).toBe(1);
    expect(r.admission.unknownFrames + r.admission.foreignFrames).toBeGreaterThan(1000);
    // Junk under the real vehicle's id from other ports is quarantined, not merged.
    expect(r.admission.foreignFrames).toBeGreaterThan(0);
    // One session log and one quarantine log for the link, not a file per id; no descriptor left per id.
    expect(r.files.sessions).toBeLessThanOrEqual(2);
    expect(r.files.quarantine).toBeLessThanOrEqual(2);
    expect(r.fds.after - r.fds.before).toBeLessThan(20);
    expect(r.httpOk).toBe(true);
  }, 120_000);
});
