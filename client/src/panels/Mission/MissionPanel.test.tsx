import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Mission, MissionProgressEvent, Result, VehicleMissionInfo } from "../../../../server/protocol";
import { copterFlight1, towerBridge } from "../../test/missions";
import { type MissionActions, MissionEditorProvider, type MissionEditorProviderProps, type MissionVehicle } from "./MissionEditorContext";
import { MissionPanel } from "./MissionPanel";

afterEach(cleanup);

const VEHICLE: MissionVehicle = { key: "1:1", armed: false, home: { lat: 51.5073998, lon: -0.1278, altAmsl: 10 } };
const T = new Date(2026, 10, 5, 14, 3, 9).getTime();

function fakeActions(overrides: Partial<MissionActions> = {}): MissionActions {
  const info = (plan: Mission | null): Result<VehicleMissionInfo> => ({ ok: true, value: { key: "1:1", plan, verifiedAt: T, source: "download", by: null } });
  return {
    upload: vi.fn(async () => ({ ok: true as const, value: { counts: { mission: 7, fence: 0, rally: 0 }, verifiedAt: T } })),
    download: vi.fn(async () => info(towerBridge())),
    clear: vi.fn(async () => info(null)),
    importFile: vi.fn(async () => ({ ok: true as const, value: towerBridge() })),
    exportFile: vi.fn(async () => ({ ok: true as const, value: undefined })),
    start: vi.fn(async () => ({ ok: true as const, value: { result: "accepted" as const, text: "Mode AUTO", attempts: 1, vehicleTexts: [] } })),
    ...overrides,
  };
}

function renderPanel(props: Partial<Omit<MissionEditorProviderProps, "children">> = {}) {
  const actions = props.actions ?? fakeActions();
  const all = { actions, vehicle: VEHICLE, progress: null, onVehicle: null, canCommand: true, initialDraft: copterFlight1(), ...props };
  const view = render(<MissionEditorProvider {...all}><MissionPanel /></MissionEditorProvider>);
  const rerender = (more: Partial<MissionEditorProviderProps>) =>
    view.rerender(<MissionEditorProvider {...all} {...more}><MissionPanel /></MissionEditorProvider>);
  return { actions, rerender };
}

const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;
const rows = () => within(screen.getByRole("region", { name: "Mission items" })).getAllByRole("listitem");

describe("MissionPanel: sending the plan", () => {
  it("uploads the draft only after a confirmation that names the vehicle and the counts", async () => {
    const { actions } = renderPanel();
    fireEvent.click(button("Upload to vehicle"));
    const dialog = screen.getByRole("dialog", { name: "Upload to vehicle 1:1" });
    expect(dialog.textContent).toContain("Send 6 mission items, 0 fence zones, 0 rally points to vehicle 1:1?");
    expect(actions.upload).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Confirm" })));
    expect(actions.upload).toHaveBeenCalledWith("1:1", copterFlight1());
    expect(screen.getByTestId("mission-outcome").textContent).toBe("Uploaded and verified at 14:03:09: 7 mission items, 0 fence items, 0 rally points");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("does nothing when the confirmation is cancelled", () => {
    const { actions } = renderPanel();
    fireEvent.click(button("Start mission"));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Cancel" }));
    expect(actions.start).not.toHaveBeenCalled();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("without control: no upload, clear or start, but download", () => {
    renderPanel({ canCommand: false });
    for (const name of ["Upload to vehicle", "Clear on vehicle", "Start mission"]) expect(button(name).disabled).toBe(true);
    expect(button("Download from vehicle").disabled).toBe(false);
    expect(screen.getByText("Take control of the vehicle to upload, clear or start.")).toBeTruthy();
  });

  it("without a vehicle nothing can be sent or read", () => {
    renderPanel({ vehicle: null });
    for (const name of ["Upload to vehicle", "Download from vehicle", "Start mission"]) expect(button(name).disabled).toBe(true);
  });

  it("shows a refusal in words", async () => {
    const actions = fakeActions({ upload: vi.fn(async () => ({ ok: false as const, error: { code: "not_holder", message: "You do not hold control of 1:1" } })) });
    renderPanel({ actions });
    fireEvent.click(button("Upload to vehicle"));
    await act(async () => fireEvent.click(button("Confirm")));
    expect(screen.getByRole("alert").textContent).toBe("Upload failed: You do not hold control of 1:1");
  });

  it("reports a rejected promise like a refusal", async () => {
    renderPanel({ actions: fakeActions({ clear: vi.fn(async () => Promise.reject(new Error("socket disconnected"))) }) });
    fireEvent.click(button("Clear on vehicle"));
    expect(screen.getByRole("dialog").textContent).toContain("Clear the mission, fence and rally points on vehicle 1:1?");
    await act(async () => fireEvent.click(button("Confirm")));
    expect(screen.getByRole("alert").textContent).toBe("Clear failed: socket disconnected");
  });

  it("starts the mission after confirming, warning when the draft is not what the vehicle holds", async () => {
    const { actions } = renderPanel();
    fireEvent.click(button("Start mission"));
    expect(screen.getByRole("dialog").textContent).toContain("it will fly its own mission, not this draft");
    await act(async () => fireEvent.click(button("Confirm")));
    expect(actions.start).toHaveBeenCalledWith("1:1");
    expect(screen.getByTestId("mission-outcome").textContent).toBe("Mission started · Mode AUTO");
  });

  it("blocks the upload while the plan has errors", () => {
    const draft = copterFlight1();
    draft.items[2]!.alt = 150;
    renderPanel({ initialDraft: draft });
    expect(screen.getByText("Item 3: altitude 150 m is above the 120 m limit")).toBeTruthy();
    expect(button("Upload to vehicle").disabled).toBe(true);
  });
});

describe("MissionPanel: the vehicle's copy", () => {
  it("says whether the draft is on the vehicle, verified when and by whom", () => {
    const { rerender } = renderPanel();
    expect(screen.getByTestId("mission-sync").textContent).toBe("Not on the vehicle yet");
    rerender({ onVehicle: { key: "1:1", plan: copterFlight1(), verifiedAt: T, source: "upload", by: "pia" } });
    expect(screen.getByTestId("mission-sync").textContent).toBe("On the vehicle, verified 14:03:09 by pia");
    fireEvent.click(button("Delete item 6"));
    expect(screen.getByTestId("mission-sync").textContent).toBe("Not on the vehicle yet");
    expect(screen.getByText(/The vehicle has a different plan: 6 mission items/)).toBeTruthy();
  });

  it("downloads into the draft (undoable) and imports files", async () => {
    const { actions } = renderPanel({ canCommand: false });
    await act(async () => fireEvent.click(button("Download from vehicle")));
    expect(actions.download).toHaveBeenCalledWith("1:1");
    expect(rows()).toHaveLength(5);
    expect(screen.getByTestId("mission-outcome").textContent).toBe("Downloaded from vehicle 1:1: 5 mission items, 0 fence zones, 0 rally points");
    fireEvent.click(button("Undo"));
    expect(rows()).toHaveLength(6);

    const file = new File(["QGC WPL 110"], "bridge.waypoints");
    await act(async () => fireEvent.change(screen.getByLabelText("Mission file"), { target: { files: [file] } }));
    expect(actions.importFile).toHaveBeenCalledWith(file);
    expect(rows()).toHaveLength(5);
    await act(async () => fireEvent.click(button("Export .waypoints")));
    expect(actions.exportFile).toHaveBeenCalledWith(towerBridge(), "waypoints");
  });

  it("shows transfer progress with its stage", () => {
    const progress: MissionProgressEvent = { key: "1:1", direction: "upload", missionType: "mission", done: 3, total: 7, stage: "transfer" };
    const { rerender } = renderPanel({ progress });
    const bar = screen.getByRole("progressbar", { name: "Mission transfer" });
    expect(bar.getAttribute("aria-valuenow")).toBe("43");
    expect(screen.getByText("Uploading mission: 3 of 7")).toBeTruthy();
    rerender({ progress: { ...progress, stage: "failed", message: "timeout waiting for MISSION_REQUEST" } });
    expect(screen.getByText("Upload failed: timeout waiting for MISSION_REQUEST")).toBeTruthy();
    rerender({ progress: { ...progress, key: "2:1" } });
    expect(screen.queryByRole("progressbar")).toBeNull();
  });
});

describe("MissionPanel: editing", () => {
  it("lists items with their number and kind, and edits them", () => {
    renderPanel();
    expect(rows().map((r) => r.getAttribute("aria-label"))).toEqual([
      "Item 1: Take-off", "Item 2: Waypoint", "Item 3: Waypoint", "Item 4: Waypoint", "Item 5: Waypoint", "Item 6: Return to launch",
    ]);
    fireEvent.change(screen.getByLabelText("Item 3 kind"), { target: { value: "loiter" } });
    expect(screen.getByLabelText<HTMLInputElement>("Item 3 loiter time").value).toBe("10");
    const alt = screen.getByLabelText<HTMLInputElement>("Item 3 altitude");
    fireEvent.focus(alt);
    fireEvent.change(alt, { target: { value: "45" } });
    fireEvent.blur(alt);
    expect(alt.value).toBe("45");
    fireEvent.click(button("Move item 3 up"));
    expect(rows()[1]?.getAttribute("aria-label")).toBe("Item 2: Loiter (time)");
    expect(rows()[1]?.getAttribute("aria-current")).toBe("true");
    fireEvent.click(button("Undo"));
    fireEvent.click(button("Undo"));
    expect(screen.getByLabelText<HTMLInputElement>("Item 3 altitude").value).toBe("30");
    fireEvent.click(button("Redo"));
    expect(screen.getByLabelText<HTMLInputElement>("Item 3 altitude").value).toBe("45");
  });

  it("switches tools and adds take-off and RTL items from the list", () => {
    renderPanel({ initialDraft: { home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] } });
    expect(screen.getByText("No items: choose Waypoints and click the map.")).toBeTruthy();
    fireEvent.click(button("Add waypoints"));
    expect(button("Add waypoints").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByText("Click the map to add a waypoint at the end of the mission.")).toBeTruthy();
    fireEvent.click(button("Fence polygon"));
    expect(button("Finish polygon").disabled).toBe(true);
    fireEvent.click(button("Add return to launch"));
    fireEvent.click(button("Add take-off"));
    expect(rows().map((r) => r.getAttribute("aria-label"))).toEqual(["Item 1: Take-off", "Item 2: Return to launch"]);
    expect(button("Add take-off").disabled).toBe(true);
    expect(screen.getByTestId("mission-count").textContent).toBe("2");
  });

  it("shows the stats of the draft from the vehicle's home", () => {
    renderPanel();
    expect(screen.getByTestId("mission-distance").textContent).toBe("624\u202fm");
    expect(screen.getByTestId("mission-time").textContent).toBe("2\u202fmin 36\u202fs");
  });
});
