import { act, cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Mission, MissionProgressEvent, Result, VehicleMissionInfo } from "../../../../server/protocol";
import { copterFlight1, towerBridge } from "../../test/missions";
import { type MissionActions, MissionEditorProvider, type MissionEditorProviderProps, type MissionVehicle } from "./MissionEditorContext";
import { MissionPanel } from "./MissionPanel";

afterEach(cleanup);

const T = new Date(2026, 10, 5, 14, 3, 9).getTime();
const flying = (total: number | null): MissionVehicle => ({
  key: "1:1", armed: true, home: { lat: 51.5073998, lon: -0.1278, altAmsl: 10 }, mission: { current: 2, total, reached: [1], state: "active" },
});
const info = (plan: Mission | null): VehicleMissionInfo => ({ key: "1:1", plan, verifiedAt: T, source: "download", by: "p" });

/** A vehicle read that answers when the test says so, like a radio link taking seconds. */
function slowDownload() {
  const pending: ((r: Result<VehicleMissionInfo>) => void)[] = [];
  const download = vi.fn((): Promise<Result<VehicleMissionInfo>> => new Promise((resolve) => pending.push(resolve)));
  return { download, answer: (r: Result<VehicleMissionInfo>) => pending.shift()?.(r) };
}

function setup(first: Partial<MissionEditorProviderProps>) {
  const { download, answer } = slowDownload();
  const refused = async () => ({ ok: false as const, error: { code: "unused", message: "not part of this test" } });
  const actions: MissionActions = { download, upload: refused, clear: refused, start: refused, importFile: refused, exportFile: refused };
  const base = { actions, vehicle: flying(6), progress: null, onVehicle: null, canCommand: false, followVehicle: true };
  const ui = (p: Partial<MissionEditorProviderProps>) => <MissionEditorProvider {...base} {...p}><MissionPanel /></MissionEditorProvider>;
  const view = render(ui(first));
  return { download, answer, rerender: (p: Partial<MissionEditorProviderProps>) => view.rerender(ui(p)) };
}

const itemCount = () => within(screen.getByRole("region", { name: "Mission items" })).queryAllByRole("listitem").length;

describe("the Plan tab follows the selected vehicle's mission", () => {
  it("reads the mission of a vehicle flying one, once, and shows it when the server has it", async () => {
    const { download, answer, rerender } = setup({});
    expect(download).toHaveBeenCalledTimes(1);
    expect(download).toHaveBeenCalledWith("1:1");
    // Frames keep coming while the read runs: no second read.
    rerender({ vehicle: flying(6) });
    rerender({ vehicle: { ...flying(6), mission: { current: 3, total: 6, reached: [1, 2], state: "active" } } });
    expect(download).toHaveBeenCalledTimes(1);
    await act(async () => answer({ ok: true, value: info(copterFlight1()) }));
    rerender({ onVehicle: info(copterFlight1()) });
    expect(itemCount()).toBe(6);
    expect(screen.getByTestId("mission-sync").textContent).toMatch(/^On the vehicle, verified .* \(read from it\)$/);
    expect(download).toHaveBeenCalledTimes(1);
  });

  it("reads again when the vehicle's mission changes, and the unedited draft follows it", async () => {
    const { download, answer, rerender } = setup({ onVehicle: info(copterFlight1()) });
    expect(download).not.toHaveBeenCalled();
    expect(itemCount()).toBe(6);
    rerender({ onVehicle: info(copterFlight1()), vehicle: flying(5) });
    expect(download).toHaveBeenCalledTimes(1);
    await act(async () => answer({ ok: true, value: info(towerBridge()) }));
    rerender({ onVehicle: info(towerBridge()), vehicle: flying(5) });
    expect(itemCount()).toBe(5);
  });

  it("a failed read is not retried in a loop, and nothing is read during a transfer", async () => {
    const uploading: MissionProgressEvent = { key: "1:1", direction: "upload", missionType: "mission", stage: "transfer", done: 1, total: 6 };
    const { download, answer, rerender } = setup({ progress: uploading });
    expect(download).not.toHaveBeenCalled();
    rerender({ progress: null });
    expect(download).toHaveBeenCalledTimes(1);
    await act(async () => answer({ ok: false, error: { code: "timeout", message: "no answer" } }));
    rerender({ progress: null, vehicle: flying(6) });
    expect(download).toHaveBeenCalledTimes(1);
  });

  it("never replaces a draft the pilot is editing", async () => {
    const { download, rerender } = setup({ initialDraft: towerBridge(), vehicle: flying(null) });
    expect(download).toHaveBeenCalledTimes(1);
    rerender({ initialDraft: towerBridge(), vehicle: flying(null), onVehicle: info(copterFlight1()) });
    expect(itemCount()).toBe(5);
    expect(screen.getByText(/The vehicle has a different plan: 6 mission items/)).toBeTruthy();
  });
});
