/**
 * Test helper: reads a recorded mission transcript (copter_flight_1_mission_protocol.txt), one packet a line:
 * `[  58.467] UPLOAD   VEH->GCS  MISSION_REQUEST      target_system=255 ... seq=0 mission_type=0`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RawFields } from "../../../server/mavlink";

export interface TranscriptPacket {
  time: number;
  phase: string;
  fromGcs: boolean;
  name: string;
  fields: Record<string, number>;
}

const LINE = /^\[\s*([\d.]+)\]\s+(\S+)\s+(GCS->VEH|VEH->GCS)\s+(\S+)\s*(.*)$/;

export function parseTranscript(text: string): TranscriptPacket[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").map((line, i) => {
    const m = LINE.exec(line);
    if (!m) throw new Error(`transcript line ${i + 1}: cannot read "${line}"`);
    const fields: Record<string, number> = {};
    for (const pair of (m[5] ?? "").split(/\s+/).filter(Boolean)) {
      const [key, value] = pair.split("=");
      if (key === undefined || value === undefined || !Number.isFinite(Number(value))) {
        throw new Error(`transcript line ${i + 1}: bad field "${pair}"`);
      }
      fields[key] = Number(value);
    }
    return { time: Number(m[1]), phase: m[2]!, fromGcs: m[3] === "GCS->VEH", name: m[4]!, fields };
  });
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

export function loadTranscript(): TranscriptPacket[] {
  return parseTranscript(readFileSync(fixturePath("copter_flight_1_mission_protocol.txt"), "utf8"));
}

/** Field-by-field difference between what was recorded and what was sent ([] when they match within tol). */
export function fieldDifferences(expected: Record<string, number>, actual: RawFields, tol = 1e-4): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (typeof got !== "number" || Math.abs(got - want) > tol) out.push(`${key}: want ${want}, got ${String(got)}`);
  }
  return out;
}
