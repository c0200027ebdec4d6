import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CommandProgressEvent, VehicleState } from "../../../../server/protocol";
import { createAppStore, StoreProvider } from "../../store";
import { makeVehicle, snapshotOf, T0 } from "../../test/vehicles";
import { CommandPanel } from "./CommandPanel";
import type { GotoPoint } from "./types";
import { SenderTestDouble } from "../../test/commands";

afterEach(cleanup);

const landed = makeVehicle(1, { armed: false, armedSince: null, mode: "STABILIZE", systemStatus: "standby", position: { lat: 52.521, lon: 13.405, altAmsl: 34, altRelative: 0 } });
const flying = makeVehicle(1, { mode: "LOITER" });

function setup(vehicle: VehicleState, opts: { canCommand?: boolean; gotoPoint?: GotoPoint | null; progress?: CommandProgressEvent | null } = {}) {
  const store = createAppStore();
  store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf([vehicle]), receivedAt: T0 }]);
  const sender = new SenderTestDouble();
  const onPickGoto = vi.fn();
  const onGotoDone = vi.fn();
  const ui = (o: typeof opts) => (
    <StoreProvider store={store}>
      <CommandPanel
        vehicleKey={vehicle.key}
        sender={sender}
        progress={o.progress ?? null}
        canCommand={o.canCommand ?? true}
        gotoPoint={o.gotoPoint ?? null}
        onPickGoto={onPickGoto}
        onGotoDone={onGotoDone}
      />
    </StoreProvider>
  );
  const view = render(ui(opts));
  return { store, sender, onPickGoto, onGotoDone, rerender: (o: typeof opts) => view.rerender(ui(o)) };
}

const button = (name: string) => screen.getByRole("button", { name });
const dialog = () => screen.getByRole("dialog");
const confirm = () => fireEvent.click(within(dialog()).getByRole("button", { name: "Confirm" }));
const status = () => screen.getByRole("status");

describe("commands that ask first", () => {
  it.each([
    ["Arm", landed, { kind: "arm" }, "Arm 1:1?"],
    ["Take off", landed, { kind: "takeoff", altM: 20 }, "Take off 1:1 to 20\u202fm?"],
    ["Land", flying, { kind: "land" }, "Land 1:1?"],
    ["RTL", flying, { kind: "rtl" }, "Return 1:1 to launch?"],
    ["Disarm", flying, { kind: "disarm" }, "Disarm 1:1 in the air?"],
    ["Start mission", flying, { kind: "missionStart" }, "Start the mission on 1:1?"],
  ] as const)("%s: a dialog naming the vehicle, then the request, confirmed", (name, vehicle, command, title) => {
    const { sender } = setup(vehicle);
    fireEvent.click(button(name));
    expect(sender.requests).toEqual([]);
    expect(within(dialog()).getByRole("heading").textContent).toBe(title);
    expect(dialog().textContent).toContain("1:1 (sysid 1)");
    expect(dialog().textContent).toContain(vehicle.mode);
    confirm();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(sender.requests).toEqual([{ key: "1:1", command, confirmed: true }]);
  });

  it("cancel (or Escape) sends nothing", () => {
    const { sender } = setup(flying);
    fireEvent.click(button("RTL"));
    fireEvent.click(within(dialog()).getByRole("button", { name: "Cancel" }));
    fireEvent.click(button("Land"));
    fireEvent.keyDown(dialog(), { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(sender.requests).toEqual([]);
  });

  it("the take-off altitude is the one typed, and must be 1..120 m", () => {
    const { sender } = setup(landed);
    const alt = screen.getByLabelText("Take-off altitude (m)");
    fireEvent.change(alt, { target: { value: "150" } });
    expect(button("Take off")).toHaveProperty("disabled", true);
    expect(button("Take off").title).toBe("Take-off altitude: Between 1 and 120 m");
    fireEvent.change(alt, { target: { value: "35" } });
    fireEvent.click(button("Take off"));
    confirm();
    expect(sender.requests[0]?.command).toEqual({ kind: "takeoff", altM: 35 });
  });
});

describe("commands sent at once", () => {
  it("brake, mode, speed, pause and resume", () => {
    const { sender } = setup({ ...flying, mode: "AUTO" });
    fireEvent.click(button("Brake"));
    fireEvent.click(button("Pause mission"));
    expect(button("Set mode")).toHaveProperty("disabled", true);
    fireEvent.change(screen.getByLabelText("Mode"), { target: { value: "POSHOLD" } });
    fireEvent.click(button("Set mode"));
    fireEvent.change(screen.getByLabelText("Speed (m/s)"), { target: { value: "8" } });
    fireEvent.click(button("Change speed"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(sender.requests).toEqual([
      { key: "1:1", command: { kind: "brake" } },
      { key: "1:1", command: { kind: "missionPause" } },
      { key: "1:1", command: { kind: "setMode", mode: "POSHOLD" } },
      { key: "1:1", command: { kind: "speed", mps: 8 } },
    ]);
  });

  it("resume mission when out of AUTO", () => {
    const { sender } = setup({ ...flying, mode: "BRAKE" });
    fireEvent.click(button("Resume mission"));
    expect(sender.requests).toEqual([{ key: "1:1", command: { kind: "missionResume" } }]);
  });
});

describe("state of a command", () => {
  it("waits (with the vehicle's progress), then shows the answer in words and logs it", async () => {
    const { sender, rerender } = setup(flying);
    fireEvent.click(button("Brake"));
    expect(status().textContent).toBe("Brake: Waiting for the vehicle…");
    expect(button("Brake")).toHaveProperty("disabled", true);
    rerender({ progress: { key: "1:1", command: "brake", progress: 40 } });
    expect(status().textContent).toBe("Brake: Waiting for the vehicle… 40\u202f%");
    rerender({ progress: { key: "2:1", command: "brake", progress: 90 } });
    expect(status().textContent).not.toContain("90");
    await act(async () => sender.answer({ ok: true, value: { result: "accepted", text: "Accepted", attempts: 1, vehicleTexts: [] } }));
    expect(status().textContent).toBe("Brake: Accepted");
    expect(status().className).toContain("cmd-status--ok");
    expect(within(screen.getByRole("region", { name: "Command log" })).getAllByRole("listitem")).toHaveLength(1);
  });

  it("a refusal shows the vehicle's text, and then offers a forced arm behind a second confirmation", async () => {
    const { sender } = setup(landed);
    expect(screen.queryByRole("button", { name: "Force arm…" })).toBeNull();
    fireEvent.click(button("Arm"));
    confirm();
    await act(async () => sender.answer({ ok: false, error: { code: "failed", message: "PreArm: GPS 1: Bad fix" } }));
    expect(status().textContent).toBe("Arm: Refused by the vehicle (failed): PreArm: GPS 1: Bad fix");
    expect(status().className).toContain("cmd-status--danger");

    fireEvent.click(button("Force arm…"));
    expect(within(dialog()).getByRole("heading").textContent).toBe("Force arm 1:1?");
    confirm();
    // The first Confirm only leads to the second step.
    expect(sender.requests).toHaveLength(1);
    const confirmButton = within(dialog()).getByRole("button", { name: "Confirm" });
    expect(confirmButton).toHaveProperty("disabled", true);
    fireEvent.change(within(dialog()).getByLabelText("Type the vehicle number (1) to confirm"), { target: { value: "1" } });
    expect(confirmButton).toHaveProperty("disabled", true);
    fireEvent.click(within(dialog()).getByLabelText("I understand the pre-arm checks are skipped"));
    expect(confirmButton).toHaveProperty("disabled", false);
    confirm();
    expect(sender.requests[1]).toEqual({ key: "1:1", command: { kind: "arm", force: true }, confirmed: true });
  });

  it("force disarm from the Force… control, cancelled at the second step sends nothing", () => {
    const { sender } = setup(flying);
    fireEvent.click(button("Force…"));
    fireEvent.click(button("Force disarm…"));
    confirm();
    expect(within(dialog()).getByLabelText("I understand the motors will stop")).toBeTruthy();
    fireEvent.click(within(dialog()).getByRole("button", { name: "Cancel" }));
    expect(sender.requests).toEqual([]);
  });

  it("a sender that throws still ends the wait", async () => {
    const store = setup(flying);
    store.sender.send = () => Promise.reject(new Error("socket closed"));
    fireEvent.click(button("Brake"));
    await act(async () => {});
    expect(status().textContent).toBe("Brake: Not sent: socket closed");
  });
});

describe("go to", () => {
  it("asks the map for a point, then altitude and confirmation", () => {
    const { sender, onPickGoto, onGotoDone, rerender } = setup(flying);
    fireEvent.click(button("Go to…"));
    expect(onPickGoto).toHaveBeenCalledOnce();
    expect(screen.getByText("Click the map to choose the point.")).toBeTruthy();
    rerender({ gotoPoint: { lat: 52.53, lon: 13.41 } });
    expect(screen.getByTestId("goto-point").textContent).toBe("52.530000, 13.410000");
    expect(screen.getByLabelText("Go-to altitude (m)")).toHaveProperty("value", "30");
    fireEvent.change(screen.getByLabelText("Go-to altitude (m)"), { target: { value: "45" } });
    fireEvent.click(button("Fly to point…"));
    expect(dialog().textContent).toContain("52.530000, 13.410000 at 45\u202fm");
    confirm();
    expect(sender.requests).toEqual([{ key: "1:1", command: { kind: "goto", lat: 52.53, lon: 13.41, altM: 45 }, confirmed: true }]);
    expect(onGotoDone).toHaveBeenCalledOnce();
  });

  it("can be abandoned", () => {
    const { sender, onGotoDone } = setup(flying);
    fireEvent.click(button("Go to…"));
    fireEvent.click(button("Cancel go to"));
    expect(onGotoDone).toHaveBeenCalledOnce();
    expect(sender.requests).toEqual([]);
  });
});

describe("without control", () => {
  it("every command is disabled, with the reason", () => {
    const { sender } = setup(flying, { canCommand: false });
    expect(screen.getByTestId("commands-blocked").textContent).toContain("You do not hold control of 1:1");
    for (const name of ["Arm", "Disarm", "Take off", "Land", "RTL", "Brake", "Set mode", "Change speed", "Go to…", "Start mission", "Pause mission", "Resume mission"]) {
      expect(button(name)).toHaveProperty("disabled", true);
    }
    fireEvent.click(button("RTL"));
    expect(sender.requests).toEqual([]);
  });

  it("losing control closes an open dialog", () => {
    const { sender, rerender } = setup(flying);
    fireEvent.click(button("RTL"));
    rerender({ canCommand: false });
    expect(screen.queryByRole("dialog")).toBeNull();
    rerender({ canCommand: true });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(sender.requests).toEqual([]);
  });

  it("an unknown vehicle shows why", () => {
    const store = createAppStore();
    render(
      <StoreProvider store={store}>
        <CommandPanel vehicleKey="9:1" sender={new SenderTestDouble()} progress={null} canCommand gotoPoint={null} onPickGoto={() => {}} />
      </StoreProvider>,
    );
    expect(screen.getByTestId("commands-blocked").textContent).toBe("This vehicle is not connected.");
    expect(screen.queryByRole("button", { name: "Arm" })).toBeNull();
  });
});

describe("force offer", () => {
  it("can be folded away, and opens again on the next refusal", async () => {
    const { sender } = setup(landed);
    const refuse = async () => {
      fireEvent.click(button("Arm"));
      confirm();
      await act(async () => sender.answer({ ok: false, error: { code: "failed", message: "PreArm: Compass not calibrated" } }));
    };
    await refuse();
    expect(button("Force…").getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(button("Force…"));
    expect(screen.queryByRole("button", { name: "Force arm…" })).toBeNull();
    await refuse();
    expect(button("Force arm…")).toBeTruthy();
  });
});
