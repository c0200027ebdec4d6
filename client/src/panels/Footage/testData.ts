// Sample footage for this folder's tests (only tests import this).
import type { FootageSummary, FootageSync, ReplayFlight } from "../../../../server/protocol";

export const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
export const SHA = "3f".repeat(32);

export function sampleFootage(over: Partial<FootageSummary> = {}): FootageSummary {
  return {
    id: 3, sha256: SHA, sizeBytes: 3_145_728, originalName: "DJI_0001.MP4", sidecarName: "DJI_0001.SRT", uploadedBy: "rita", uploadedAt: T0 + 3_600_000,
    probe: {
      format: "mov,mp4,m4a,3gp,3g2,mj2", durationS: 6, video: { codec: "h264", width: 640, height: 480, fps: 25, frames: 150 }, audio: null,
      creationTime: "2026-11-21T09:00:00.000000Z", timecode: null, location: null, device: { make: "DJI", model: "FC3582" }, browserPlayable: true,
    },
    ...over,
  };
}

export function sampleSync(over: Partial<FootageSync> = {}): FootageSync {
  return {
    id: 11, footageId: 3, flightId: 7, startsAt: T0, source: "creation_time", detail: "creation_time read as UTC",
    setBy: "rita", setAt: T0 + 7_200_000, reason: null, ...over,
  };
}

export function sampleFlight(over: Partial<ReplayFlight> = {}): ReplayFlight {
  return {
    id: 7, vehicle: "1:1", vehicleType: "copter", startedAt: T0 - 60_000, endedAt: T0 + 600_000, shiftMs: 0, integrity: "verified", sha256: null, ...over,
  };
}
