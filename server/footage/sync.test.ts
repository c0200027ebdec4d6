import { describe, expect, it } from "vitest";
import { makeSrt } from "../../test/helpers/footage";
import { parseSrt } from "./srt";
import { syncFromSrt } from "./sync";
import { readTrack } from "./track-read";

const FLIGHT = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
const FRAME_MS = 40;

describe("sync from a DJI sidecar against the real ArduCopter flight (copter_flight_1.tlog)", async () => {
  const track = await readTrack(FLIGHT, { sysid: 1, compid: 1 });
  // 100 s after the first position: the drone is flying its mission square at 30 m.
  const truth = Math.round(track[0]!.time + 100_000);

  it.each([
    { layout: "bracket" as const, zoneMinutes: 60 },
    { layout: "gps" as const, zoneMinutes: -300 },
    { layout: "bracket" as const, zoneMinutes: 0, garbage: true },
  ])("places frame N within one frame of its time, positions within 5 m ($layout, zone $zoneMinutes min)", ({ layout, zoneMinutes, garbage }) => {
    const reading = parseSrt(makeSrt(track, { startsAt: truth, seconds: 8, fps: 25, zoneMinutes, layout, garbage: garbage ?? false }));
    expect(reading.frames).toHaveLength(200);
    if (garbage) expect(reading.skipped).toBeGreaterThan(0);
    const found = syncFromSrt(reading.frames, track);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.zoneMinutes).toBe(zoneMinutes);
    expect(Math.abs(found.startsAt - truth)).toBeLessThanOrEqual(FRAME_MS);
    // Frame 150 (6 s in) is where the video says it is.
    expect(Math.abs(found.startsAt + 150 * FRAME_MS - (truth + 6000))).toBeLessThanOrEqual(FRAME_MS);
    expect(found.medianM).toBeLessThan(5);
    expect(found.detail).toMatch(/positions \d+\.\d m from the track/);
  });

  it("refuses a sidecar flown somewhere else, and one with no position", () => {
    const elsewhere = track.map((p) => ({ ...p, lat: p.lat + 0.01 }));
    const srt = parseSrt(makeSrt(elsewhere, { startsAt: truth, seconds: 4, fps: 25, zoneMinutes: 0 }));
    const r = syncFromSrt(srt.frames, track);
    expect(r.ok ? "matched" : r.reason).toMatch(/not on this flight's track: \d+ m/);
    const blind = parseSrt("1\n00:00:00,000 --> 00:00:00,040\n2026-11-21 10:00:00.000\n");
    const b = syncFromSrt(blind.frames, track);
    expect(b.ok ? "matched" : b.reason).toMatch(/no frame with both a date-time and a position/);
    expect(parseSrt("not a subtitle file at all").frames).toEqual([]);
  });
});
