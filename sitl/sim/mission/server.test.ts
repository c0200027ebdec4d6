import { describe, expect, it } from "vitest";
import { MissionServer } from "./server";
import { FakeGcs, FakeVehicle } from "../../../test/support/sitl/mission-host";
import { fieldDifferences, loadTranscript } from "../../../test/support/sitl/mission-transcript";
import type { TranscriptPacket } from "../../../test/support/sitl/mission-transcript";

/** Plays the GCS side of the recording and lists every way the vehicle side differs from what ArduPilot sent. */
function replay(packets: TranscriptPacket[], server: MissionServer, vehicle: FakeVehicle): string[] {
  const gcs = new FakeGcs();
  const problems: string[] = [];
  const sent: { name: string; fields: Record<string, unknown> }[] = [];
  let i = 0;
  for (const p of packets) {
    if (p.fromGcs) {
      vehicle.clock = p.time * 1000;
      expect(server.handle(gcs.packet(p.name, p.fields))).toBe(true);
      sent.push(...vehicle.messages());
      continue;
    }
    const got = sent[i++];
    if (!got) { problems.push(`${p.phase} ${p.name} at ${p.time}: nothing sent`); continue; }
    if (got.name !== p.name) { problems.push(`${p.phase} at ${p.time}: want ${p.name}, got ${got.name}`); continue; }
    for (const d of fieldDifferences(p.fields, got.fields as never)) problems.push(`${p.phase} ${p.name} at ${p.time}: ${d}`);
  }
  for (const extra of sent.slice(i)) problems.push(`extra ${extra.name} sent`);
  return problems;
}

describe("MissionServer against the recorded ArduCopter transcript", () => {
  const transcript = loadTranscript();

  it("reads the transcript: 7-item upload, download and legacy download", () => {
    expect(transcript).toHaveLength(50);
    expect(transcript.filter((p) => !p.fromGcs)).toHaveLength(24);
    expect(new Set(transcript.map((p) => p.phase))).toEqual(new Set(["UPLOAD", "DOWNLOAD", "DOWNLOAD_LEGACY"]));
  });

  it("sends exactly the recorded packets for the same GCS packets", () => {
    const vehicle = new FakeVehicle();
    const server = new MissionServer(vehicle);
    expect(replay(transcript, server, vehicle)).toEqual([]);
  });

  it("notices a packet that differs from the recording (the replay is not vacuous)", () => {
    const vehicle = new FakeVehicle();
    vehicle.homePosition = { lat: 51.5073998, lon: -0.1278, altAmsl: 11 };
    const problems = replay(transcript, new MissionServer(vehicle), vehicle);
    expect(problems).toContain("DOWNLOAD MISSION_ITEM_INT at 58.52: z: want 10.09000015258789, got 11");
  });

  it("says \"Flight plan received\" after the upload and warns once about MISSION_REQUEST", () => {
    const vehicle = new FakeVehicle();
    const server = new MissionServer(vehicle);
    const texts: string[] = [];
    const gcs = new FakeGcs();
    for (const p of transcript) {
      if (!p.fromGcs) continue;
      server.handle(gcs.packet(p.name, p.fields));
      for (const s of vehicle.take()) if (s.kind === "text") texts.push(`${s.severity} ${s.text}`);
    }
    expect(texts).toEqual(["6 Flight plan received", "4 got MISSION_REQUEST; use MISSION_REQUEST_INT!"]);
  });

  it("keeps the mission as ArduPilot stores it, item 0 being home", () => {
    const vehicle = new FakeVehicle();
    const server = new MissionServer(vehicle);
    let changes = 0;
    server.onChange(() => changes++);
    replay(transcript.filter((p) => p.phase === "UPLOAD"), server, vehicle);
    const items = server.items();
    expect(changes).toBe(1);
    expect(items.map((i) => [i.command, i.frame])).toEqual([[16, 0], [22, 3], [16, 3], [16, 3], [16, 3], [16, 3], [20, 0]]);
    expect(items[0]).toMatchObject({ x: 515073998, y: -1278000, z: 10.09 });
    expect(items[2]).toMatchObject({ x: 515082981, y: -1278000, z: 30 });
  });

  it("passes on everything that is not mission protocol", () => {
    const server = new MissionServer(new FakeVehicle());
    expect(server.handle(new FakeGcs().packet("COMMAND_LONG", { command: 400, param1: 1 }))).toBe(false);
  });
});
