import { act, cleanup, render, screen, within } from "@testing-library/react";
import { Profiler } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { VehicleKey, VehicleState } from "../../../../server/protocol";
import { createAppStore, StoreProvider, type AppStore } from "../../store";
import { frameOf, makeVehicle, snapshotOf, T0 } from "../../test/vehicles";
import { InstrumentsPanel } from "./index";

const NOW = T0 + 2000;
const DASH = "—";
const rad = (deg: number) => (deg * Math.PI) / 180;
const plain = (s: string | null | undefined) => (s ?? "").replace(/\u202f/g, " ");
const value = (id: string) => plain(screen.getByTestId(`inst-${id}`).textContent);

function storeWith(...vehicles: VehicleState[]): AppStore {
  const store = createAppStore();
  // Snapshot stamped with the (fake) client clock: no clock offset.
  store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf(vehicles, NOW), receivedAt: NOW }]);
  return store;
}

function renderPanel(store: AppStore, key: VehicleKey = "1:1", onRender?: () => void) {
  const panel = <InstrumentsPanel vehicleKey={key} />;
  return render(
    <StoreProvider store={store}>{onRender ? <Profiler id="instruments" onRender={onRender}>{panel}</Profiler> : panel}</StoreProvider>,
  );
}

const flying = makeVehicle(1, {
  attitude: { roll: rad(30), pitch: rad(-10), yaw: rad(90) },
  airSpeed: 6.1,
  statusTexts: [
    { time: T0 - 3000, severity: "info", text: "EKF3 IMU0 is using GPS" },
    { time: T0 - 2000, severity: "warning", text: "PreArm: Compass not calibrated" },
    { time: T0 - 1000, severity: "critical", text: "Radio failsafe" },
  ],
});

const unknown = makeVehicle(2, {
  mode: "",
  armed: false,
  armedSince: null,
  position: null,
  heading: null,
  groundSpeed: null,
  airSpeed: null,
  climb: null,
  attitude: null,
  battery: { voltage: null, current: null, remaining: null, consumedMah: null },
  gps: { fix: "none", satellites: null, hdop: null },
  home: null,
});

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("InstrumentsPanel", () => {
  it("shows the flight readings of the vehicle", () => {
    renderPanel(storeWith(flying, unknown));
    const panel = within(screen.getByRole("region", { name: "Instruments 1:1" }));
    expect(panel.getByText("ARMED")).toBeTruthy();
    expect(value("mode")).toBe("GUIDED");
    expect(value("alt-rel")).toBe("30.0 m");
    expect(value("alt-amsl")).toBe("64.0 m");
    expect(value("climb")).toBe("+0.4 m/s");
    expect(value("ground-speed")).toBe("5.2 m/s");
    expect(value("air-speed")).toBe("6.1 m/s");
    // 0.001° north and 0.001° east of home at 52.52° N: 111.2 m and 67.7 m.
    expect(value("home-distance")).toBe("130 m");
    expect(value("roll")).toBe("30°");
    expect(value("pitch")).toBe("\u221210°");
  });

  it("shows battery, GPS and link", () => {
    renderPanel(storeWith(flying));
    expect(value("battery-remaining")).toBe("76 %");
    expect(value("battery-voltage")).toBe("15.8 V");
    expect(value("battery-current")).toBe("12.3 A");
    expect(value("battery-consumed")).toBe("800 mAh");
    expect(value("gps-fix")).toBe("3D");
    expect(value("gps-satellites")).toBe("14");
    expect(value("gps-hdop")).toBe("0.8");
    expect(value("link-state")).toBe("OK");
    expect(value("link-heartbeat")).toBe("2 s");
    expect(value("link-loss")).toBe("0.5 %");
    expect(value("link-rate")).toBe("2.4 kB/s");
    expect(screen.getByTestId("instruments-1-1").dataset.stale).toBe("false");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("draws the dials from attitude, heading and home", () => {
    renderPanel(storeWith(flying));
    const attitude = screen.getByRole("img", { name: "Attitude: roll 30° right, pitch 10° down" });
    expect(screen.getByTestId("inst-horizon").getAttribute("transform")).toBe("rotate(-30) translate(0 -20)");
    expect(attitude.querySelectorAll(".inst-ladder line")).toHaveLength(36);
    // Home is south-west of the vehicle.
    expect(screen.getByRole("img", { name: "Heading 090°, home bearing 211°" })).toBeTruthy();
  });

  it("ticks the flight time on the server clock", () => {
    const store = storeWith(flying);
    renderPanel(store);
    expect(screen.getByRole("timer", { name: "Flight" }).textContent).toBe("01:02"); // armed 62 s ago
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(value("flight-time")).toBe("01:05");
    expect(value("link-heartbeat")).toBe("5 s");
  });

  it("follows the server clock, not the client's", () => {
    const store = createAppStore();
    // The server clock runs 10 minutes ahead of this client.
    store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf([flying], NOW + 600_000), receivedAt: NOW }]);
    renderPanel(store);
    expect(value("flight-time")).toBe("11:02");
  });

  it("shows dashes, never zeros, for what is unknown", () => {
    renderPanel(storeWith(flying, unknown), "2:1");
    expect(screen.getByText("DISARMED")).toBeTruthy();
    expect(value("flight-time")).toBe(DASH);
    for (const id of ["mode", "alt-rel", "alt-amsl", "climb", "ground-speed", "air-speed", "home-distance", "roll", "pitch"]) {
      expect([id, value(id)]).toEqual([id, DASH]);
    }
    for (const id of ["battery-remaining", "battery-voltage", "battery-current", "battery-consumed", "gps-satellites", "gps-hdop"]) {
      expect([id, value(id)]).toEqual([id, DASH]);
    }
    expect(value("gps-fix")).toBe("No GPS");
    expect(screen.getByRole("img", { name: "Attitude unknown" })).toBeTruthy();
    expect(screen.getByRole("img", { name: "Heading unknown" })).toBeTruthy();
    expect(screen.queryByTestId("inst-horizon")).toBeNull();
    expect(screen.getByText("No messages.")).toBeTruthy();
  });

  it("lists status texts newest first, coloured by severity, with their time", () => {
    renderPanel(storeWith(flying));
    const items = within(screen.getByRole("list", { name: /Status messages/ })).getAllByRole("listitem");
    expect(items.map((li) => li.querySelector(".inst-feed__text")?.textContent)).toEqual([
      "Radio failsafe",
      "PreArm: Compass not calibrated",
      "EKF3 IMU0 is using GPS",
    ]);
    expect(items.map((li) => li.dataset.severity)).toEqual(["critical", "warning", "info"]);
    expect(items[0]?.className).toContain("inst-feed__item--danger");
    expect(items[1]?.className).toContain("inst-feed__item--caution");
    const time = items[0]?.querySelector("time");
    expect(time?.getAttribute("dateTime")).toBe(new Date(T0 - 1000).toISOString());
    expect(time?.textContent).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it("marks a lost link", () => {
    const lost = makeVehicle(1, { link: { ...flying.link, state: "lost", lastHeartbeat: NOW - 12_000 } });
    renderPanel(storeWith(lost));
    expect(value("link-state")).toBe("LOST");
    expect(value("link-heartbeat")).toBe("12 s");
    expect(screen.getByTestId("inst-link-heartbeat").className).toContain("tone--danger");
    expect(screen.getByTestId("instruments-1-1").dataset.stale).toBe("true");
    expect(plain(screen.getByRole("status").textContent)).toBe("Last known state — 12 s old");
  });

  it("re-renders when its vehicle changes, not when another one does", () => {
    const store = storeWith(flying, unknown);
    const onRender = vi.fn();
    renderPanel(store, "1:1", onRender);
    const commits = onRender.mock.calls.length;

    act(() => store.getState().applyEvents([{ kind: "frame", frame: frameOf([{ ...unknown, mode: "LAND" }], 1, NOW), receivedAt: NOW }]));
    expect(onRender.mock.calls.length).toBe(commits);

    act(() => store.getState().applyEvents([{ kind: "frame", frame: frameOf([{ ...flying, heading: 180 }], 2, NOW), receivedAt: NOW }]));
    expect(onRender.mock.calls.length).toBe(commits + 1);
    expect(screen.getByRole("img", { name: /^Heading 180°/ })).toBeTruthy();
  });

  it("says so while the vehicle is unknown", () => {
    renderPanel(storeWith(flying), "7:1");
    expect(screen.getByText("No data for 7:1 yet.")).toBeTruthy();
  });
});
