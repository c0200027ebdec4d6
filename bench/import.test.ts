import { afterEach, describe, expect, it, vi } from "vitest";
import { runImportBench } from "./import";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the import benchmark", () => {
  it("runs every path on the same file and prints packets per second, MB/s and the ratio to node-mavlink", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    // Five minutes of one vehicle: the shape of the report, not a measurement.
    await runImportBench({ rounds: 1, durationS: 300, vehicles: 1 });
    const rows = lines.join("\n").split("\n").filter((l) => l.includes("pkt/s"));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/\(a\) node-mavlink.* MB\/s .* x1\.00$/);
    expect(rows.find((r) => r.includes("importTlog"))).toMatch(/[\d,]+ pkt\/s +[\d.]+ MB\/s .* x\d+\.\d\d$/);
    expect(rows.find((r) => r.includes("(a')"))).toMatch(/found [\d,]+ of [\d,]+/);
  });
});
