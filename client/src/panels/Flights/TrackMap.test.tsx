import { cleanup, render, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAppStore, DEFAULT_CONFIG, StoreProvider } from "../../store";
import type { TrackLine } from "./geo";
import { TrackMap } from "./TrackMap";

afterEach(cleanup);

const lines: TrackLine[] = [[[51.5, -0.1], [51.5004, -0.1005], [51.5001, -0.1001]]];

function renderMap(tileUrl: string | null) {
  const store = createAppStore({ ...DEFAULT_CONFIG, tileUrl });
  const onView = vi.fn();
  const { container } = render(
    <StoreProvider store={store}>
      <TrackMap lines={lines} takeoff={{ lat: 51.5, lon: -0.1 }} landing={{ lat: 51.5001, lon: -0.1001 }} onView={onView} />
    </StoreProvider>,
  );
  return { container, onView };
}

// A smoke test in jsdom (no layout, so no fit to bounds): the layers exist and the view is reported. Real drawing is for the browser.
describe("TrackMap", () => {
  it("draws the track, take-off and landing, without tiles when none are configured", async () => {
    const { container, onView } = renderMap(null);
    expect(container.querySelectorAll("path.leaflet-interactive")).toHaveLength(3);
    expect(container.querySelector(".flights__map--no-tiles")).not.toBeNull();
    expect(container.querySelector(".leaflet-tile-pane .leaflet-layer")).toBeNull();
    await waitFor(() => expect(onView).toHaveBeenCalled());
    expect(Object.keys(onView.mock.calls[0]?.[0] as object).sort()).toEqual(["east", "north", "south", "west"]);
  });

  it("uses the configured tiles", () => {
    const { container } = renderMap("https://tiles.example/{z}/{x}/{y}.png");
    expect(container.querySelector(".leaflet-tile-pane .leaflet-layer")).not.toBeNull();
  });
});
