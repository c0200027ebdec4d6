import fs from "node:fs";
import path from "node:path";
import { FIXTURES } from "./server";

export interface TranscriptLine {
  time: number;
  phase: string;
  dir: "GCS->VEH" | "VEH->GCS";
  name: string;
  fields: Record<string, number>;
}

/** copter_flight_1_mission_protocol.txt: every mission-protocol packet of the real flight, in order. */
export function missionTranscript(): TranscriptLine[] {
  const text = fs.readFileSync(path.join(FIXTURES, "copter_flight_1_mission_protocol.txt"), "utf8");
  return text.split("\n").filter((l) => l.trim()).map((line) => {
    const m = /^\[\s*([\d.]+)\]\s+(\S+)\s+(GCS->VEH|VEH->GCS)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) throw new Error(`unreadable transcript line: ${line}`);
    const fields: Record<string, number> = {};
    for (const kv of m[5]!.split(/\s+/).filter(Boolean)) {
      const [k, v] = kv.split("=");
      fields[k!] = Number(v);
    }
    return { time: Number(m[1]), phase: m[2]!, dir: m[3] as TranscriptLine["dir"], name: m[4]!, fields };
  });
}

/** The STATUSTEXTs of copter_flight_1_events.txt, in order. */
export function recordedStatusTexts(): string[] {
  const text = fs.readFileSync(path.join(FIXTURES, "copter_flight_1_events.txt"), "utf8");
  return [...text.matchAll(/STATUSTEXT sev=\d "([^"]*)"/g)].map((m) => m[1]!);
}
