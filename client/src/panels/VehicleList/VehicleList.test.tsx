import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppStore, StoreProvider, type AppStore } from "../../store";
import { makeVehicle, snapshotOf, T0 } from "../../test/vehicles";
import { VehicleList } from "./VehicleList";

const NOW = T0 + 2000;

function renderWith(store: AppStore) {
  return render(
    <StoreProvider store={store}>
      <VehicleList />
    </StoreProvider>,
  );
}

function twoVehicles(): AppStore {
  const store = createAppStore();
  const ok = makeVehicle(1, { link: { ...makeVehicle(1).link, lastHeartbeat: NOW - 300 } });
  const lost = makeVehicle(2, {
    mode: "RTL",
    armed: false,
    armedSince: null,
    battery: { voltage: 14.1, current: 0.4, remaining: 12, consumedMah: 4200 },
    statusTexts: [{ time: T0, severity: "critical", text: "Radio failsafe" }],
    link: { ...makeVehicle(2).link, state: "lost", lastHeartbeat: NOW - 12_000, heartbeatAgeMs: 12_000 },
  });
  // Snapshot stamped with the (fake) client clock: no clock offset.
  store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf([lost, ok], NOW), receivedAt: NOW }]);
  return store;
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("VehicleList", () => {
  it("shows a card per vehicle, sorted by sysid", () => {
    renderWith(twoVehicles());
    const cards = screen.getAllByRole("option");
    expect(cards.map((c) => c.dataset.testid)).toEqual(["vehicle-card-1-1", "vehicle-card-2-1"]);
  });

  it("shows the readings of a healthy vehicle", () => {
    renderWith(twoVehicles());
    const card = within(screen.getByTestId("vehicle-card-1-1"));
    expect(card.getByText("GUIDED")).toBeTruthy();
    expect(card.getByText("ARMED")).toBeTruthy();
    expect(card.getByText("LINK OK")).toBeTruthy();
    expect(card.getByText("EKF OK")).toBeTruthy();
    expect(card.getByText(/3D · 14 sats · HDOP 0\.8/)).toBeTruthy();
    expect(card.getByText(/76\s%/)).toBeTruthy();
    expect(card.getByText(/30\.0\sm \/ 64\.0\sm/)).toBeTruthy();
    expect(screen.getByTestId("vehicle-card-1-1").dataset.stale).toBe("false");
  });

  it("marks the lost vehicle stale, with its silence ticking live", () => {
    renderWith(twoVehicles());
    const el = screen.getByTestId("vehicle-card-2-1");
    expect(el.dataset.stale).toBe("true");
    expect(el.className).toContain("card--stale");
    const card = within(el);
    expect(card.getByText("LOST")).toBeTruthy();
    expect(card.getByText(/^lost 12\ss$/)).toBeTruthy();
    expect(card.getByText("DISARMED")).toBeTruthy();
    expect(card.getByText("Radio failsafe").className).toContain("tone--danger");
    expect(card.getByText(/12\s%/).className).toContain("tone--danger"); // battery below 20 %

    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(card.getByText(/^lost 15\ss$/)).toBeTruthy();
  });

  it("selects a vehicle on click", () => {
    const store = twoVehicles();
    renderWith(store);
    fireEvent.click(screen.getByTestId("vehicle-card-2-1"));
    expect(store.getState().selectedKey).toBe("2:1");
    expect(screen.getByTestId("vehicle-card-2-1").getAttribute("aria-selected")).toBe("true");
  });

  it("says so when there are no vehicles", () => {
    renderWith(createAppStore());
    expect(screen.getByText(/No vehicles yet/)).toBeTruthy();
  });
});
