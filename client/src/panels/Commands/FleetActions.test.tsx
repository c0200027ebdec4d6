import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { makeVehicle } from "../../test/vehicles";
import { FleetActions } from "./FleetActions";
import { SenderTestDouble } from "../../test/commands";

afterEach(cleanup);

const vehicles = [
  makeVehicle(1, { mode: "AUTO" }),
  makeVehicle(2, { mode: "GUIDED", battery: { voltage: 14.1, current: 20, remaining: 18, consumedMah: 4000 } }),
  makeVehicle(3, { armed: false, armedSince: null, systemStatus: "standby" }),
];

describe("fleet actions", () => {
  it("lists every vehicle concerned before sending, then one request each and the answers per vehicle", async () => {
    const sender = new SenderTestDouble();
    render(<FleetActions vehicles={vehicles} sender={sender} />);
    fireEvent.click(screen.getByRole("button", { name: "RTL all" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByRole("heading").textContent).toBe("Return to launch: 2 vehicles?");
    const rows = within(dialog).getAllByRole("row").slice(1).map((r) => r.textContent);
    expect(rows).toEqual(["1:1AUTO30\u202fm76\u202f%", "2:1GUIDED30\u202fm18\u202f%"]);
    expect(dialog.textContent).toContain("Not sent to: 3:1 (disarmed)");
    expect(sender.requests).toEqual([]);

    fireEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(sender.requests).toEqual([
      { key: "1:1", command: { kind: "rtl" }, confirmed: true },
      { key: "2:1", command: { kind: "rtl" }, confirmed: true },
    ]);
    expect(screen.getByRole("status").textContent).toContain("RTL all: 0 accepted, 2 waiting");
    await act(async () => sender.answer());
    await act(async () => sender.answer({ ok: false, error: { code: "denied", message: "Mode change to RTL failed" } }));
    const status = screen.getByRole("status");
    expect(status.textContent).toContain("RTL all: 1 accepted, 1 refused");
    expect(within(status).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "1:1 Accepted",
      "2:1 Refused by the vehicle (denied): Mode change to RTL failed",
    ]);
  });

  it("cancel sends nothing; with no armed vehicle the buttons are off", () => {
    const sender = new SenderTestDouble();
    render(<FleetActions vehicles={vehicles} sender={sender} />);
    fireEvent.click(screen.getByRole("button", { name: "Land all" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Cancel" }));
    expect(sender.requests).toEqual([]);
    cleanup();
    render(<FleetActions vehicles={[vehicles[2]!]} sender={sender} />);
    expect(screen.getByRole("button", { name: "Brake all" })).toHaveProperty("disabled", true);
  });
});
