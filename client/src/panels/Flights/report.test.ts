import { describe, expect, it } from "vitest";
import { describeImport, readImportResult, type ImportReport } from "./report";
import { sampleFlight } from "../../test/flights";

const clean: ImportReport = { packets: 12345, garbageBytes: 0, crcErrors: 0, truncated: false, sha256: "ab".repeat(32), sizeBytes: 2048 };

describe("describeImport", () => {
  it("words a clean import", () => {
    expect(describeImport({ flights: [sampleFlight()], report: clean })).toEqual({
      tone: "ok",
      lines: ["Imported 1 flight; 0 garbage bytes, 0 CRC errors", "12,345 packets, 2.00\u202fKiB, SHA-256 abababababab… (the file as uploaded, kept unchanged; each flight's own file, extracted from it, has its own SHA-256)"],
    });
  });

  it("says what was wrong with the file", () => {
    const words = describeImport({ flights: [sampleFlight(), sampleFlight({ id: 8 })], report: { ...clean, garbageBytes: 1, crcErrors: 3, truncated: true } });
    expect(words.tone).toBe("caution");
    expect(words.lines.slice(0, 2)).toEqual(["Imported 2 flights; 1 garbage byte, 3 CRC errors", "file truncated: the last packet was incomplete"]);
  });

  it("says when no flight was found", () => {
    const words = describeImport({ flights: [], report: clean });
    expect(words.tone).toBe("caution");
    expect(words.lines[0]).toBe("No flight found in the file; 0 garbage bytes, 0 CRC errors");
  });
});

describe("readImportResult", () => {
  it("reads the contract's shape", () => {
    expect(readImportResult({ flights: [sampleFlight()], report: clean })).toEqual({ flights: [{ id: 7 }], report: clean });
    expect(readImportResult({ flights: [], report: { ...clean, truncated: "no" } })).toBeNull();
    expect(readImportResult({ report: clean })).toBeNull();
    expect(readImportResult(null)).toBeNull();
  });

  it("reads the importer's own report too", () => {
    const raw = {
      name: "a.tlog", sha256: clean.sha256, sizeBytes: 2048, storedAs: "imports/x.tlog", importedAt: 1, packets: 12345,
      invalid: { garbageBytes: 3, crcErrors: 1, unknownMessages: 0, truncated: false },
      flights: [{ id: 9, vehicle: "1:1", packets: 100, tlogPath: "imports/x/1-1-1.tlog" }], duplicate: true,
    };
    expect(readImportResult(raw)).toEqual({ flights: [{ id: 9 }], report: { ...clean, garbageBytes: 3, crcErrors: 1, duplicate: true } });
  });
});

describe("describeImport of a file imported before", () => {
  it("says nothing new was created", () => {
    const words = describeImport({ flights: [{ id: 7 }], report: { ...clean, duplicate: true } });
    expect(words.tone).toBe("caution");
    expect(words.lines[0]).toBe("Already imported (same SHA-256): nothing new was created");
  });
});
