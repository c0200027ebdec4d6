/** What a session's timeline shows besides the files' marks: the warnings and the bookmarks. */
import type { Bookmark, FlightSummary, ReplayFlight, ReplayMark } from "../protocol";
import type { IndexMeta } from "./index-format";

/** A file not matching its seal is replayed, never silently: the reviewer is told what differs. */
export function integrityWarning(f: FlightSummary): string | null {
  const i = f.integrity;
  switch (i.state) {
    case "altered":
      return i.actualSha256 !== null
        ? `flight ${f.id}: file altered (SHA-256 ${i.actualSha256} differs from its seal ${f.sha256 ?? "?"})`
        : `flight ${f.id}: file altered (${i.actualSizeBytes ?? "?"} bytes, sealed at ${f.sizeBytes ?? "?"})`;
    case "recording":
      return `flight ${f.id}: still recording, not sealed yet: what was written when the replay opened`;
    case "unchecked":
      return `flight ${f.id}: file not checked against its seal yet`;
    default:
      return null;
  }
}

/** Every flight's marks on the session clock, with its bookmarks, in time order; drops and damage as warnings. */
export function withMarks(metas: IndexMeta[], flights: ReplayFlight[], bookmarks: Bookmark[], warnings: string[]): ReplayMark[] {
  const marks: ReplayMark[] = [];
  metas.forEach((meta, i) => {
    const f = flights[i]!;
    const s = f.shiftMs;
    for (const m of meta.marks) marks.push(s === 0 ? m : { ...m, time: m.time + s, ...(m.end !== undefined ? { end: m.end + s } : {}) });
    if (meta.marksDropped > 0) warnings.push(`flight ${f.id}: ${meta.marksDropped} timeline marks left out (too many)`);
    const c = meta.counters;
    if (c.garbageBytes + c.crcErrors + c.truncated > 0) {
      warnings.push(`flight ${f.id}: damaged file (${c.garbageBytes} unreadable bytes, ${c.crcErrors} checksum errors`
        + `${c.truncated ? ", cut short" : ""}): what is valid is replayed, damaged spans are marked`);
    }
    for (const b of bookmarks) {
      if (b.flightId !== f.id) continue;
      marks.push({ time: b.time + s, ...(b.end !== null ? { end: b.end + s } : {}), vehicle: f.vehicle, kind: "bookmark", text: b.note, bookmarkId: b.id });
    }
  });
  return marks.sort((a, b) => a.time - b.time);
}
