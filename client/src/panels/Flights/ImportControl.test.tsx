import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ImportControl, describeImportStep } from "./ImportControl";
import type { ImportResult } from "./report";
import type { UploadFn, UploadProgress } from "./upload";

const step = { bytes: 0, totalBytes: 1000, packets: 0, flights: 0, seriesPoints: 0 };

describe("describeImportStep", () => {
  it("words each step of the server's import", () => {
    expect(describeImportStep("a.tlog", { ...step, phase: "reading", bytes: 450, flights: 2 })).toEqual({ text: "Importing a.tlog: reading 45 %, 2 flights found", pct: 45 });
    expect(describeImportStep("a.tlog", { ...step, phase: "saving", flights: 1 })).toEqual({ text: "Importing a.tlog: saving 1 flight", pct: null });
    expect(describeImportStep("a.tlog", { ...step, phase: "series", flights: 12, seriesPoints: 123456 }))
      .toEqual({ text: "Importing a.tlog: 12 flights saved, writing telemetry series (123,456 points)", pct: null });
  });
});

describe("ImportControl", () => {
  it("shows the upload, then the import's progress without a cancel button, then the report", async () => {
    let progress: (p: UploadProgress) => void = () => {};
    let finish: (r: ImportResult) => void = () => {};
    const upload: UploadFn = (_file, onProgress) => {
      progress = onProgress;
      return { result: new Promise<ImportResult>((resolve) => { finish = resolve; }), abort: () => {} };
    };
    const imported: ImportResult[] = [];
    render(<ImportControl upload={upload} onImported={(r) => imported.push(r)} />);
    fireEvent.change(screen.getByLabelText("Import .tlog"), { target: { files: [new File(["abcd"], "shift.tlog")] } });
    act(() => progress({ loaded: 2, total: 4 }));
    expect(screen.getByRole("status").textContent).toBe("Uploading shift.tlog: 50 %");
    expect(screen.queryByText("Cancel upload")).not.toBeNull();
    act(() => progress({ loaded: 4, total: 4, import: { ...step, phase: "reading", bytes: 250 } }));
    expect(screen.getByRole("status").textContent).toBe("Importing shift.tlog: reading 25 %, 0 flights found");
    expect(screen.getByLabelText("Import progress").getAttribute("value")).toBe("25");
    expect(screen.queryByText("Cancel upload")).toBeNull();
    const report = { packets: 9, garbageBytes: 0, crcErrors: 0, truncated: false, sha256: "ab".repeat(32), sizeBytes: 4 };
    await act(async () => finish({ flights: [{ id: 1 }], report }));
    expect((await screen.findByTestId("flights-import-report")).textContent).toMatch(/shift\.tlog: Imported 1 flight/);
    expect(imported).toHaveLength(1);
  });
});
