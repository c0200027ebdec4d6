import { act, cleanup, render } from "@testing-library/react";
import { MapContainer } from "react-leaflet";
import { afterEach, describe, expect, it } from "vitest";
import type { IncidentMarker } from "../../../../server/protocol";
import { createAppStore, StoreProvider } from "../../store";
import { IncidentLayer } from "./IncidentLayer";

afterEach(cleanup);

const area: IncidentMarker = {
  id: 5, reference: "CAD 1234/21NOV", title: "Burglary <in progress>", type: "crime_scene",
  location: { kind: "area", points: [{ lat: 51.506, lon: -0.13 }, { lat: 51.509, lon: -0.13 }, { lat: 51.509, lon: -0.125 }] },
};
const point: IncidentMarker = { id: 6, reference: "CAD 99", title: "Missing walker", type: "missing_person", location: { kind: "point", lat: 51.5, lon: -0.12, radiusM: 300 } };

// jsdom draws no pixels: this checks what is put on the map (shapes and labels) and that it follows the store.
describe("IncidentLayer", () => {
  it("draws each open incident with its label, not clickable, and follows incidents:open", () => {
    const store = createAppStore();
    store.getState().applyEvents([{ kind: "incidents", incidents: [area, point] }]);
    const { container } = render(
      <StoreProvider store={store}>
        <MapContainer center={[51.5, -0.12]} zoom={14} style={{ width: 400, height: 300 }}><IncidentLayer /></MapContainer>
      </StoreProvider>,
    );
    const label = container.querySelector('[data-testid="incident-label-5"]');
    expect(label?.textContent).toBe("CAD 1234/21NOV · Burglary <in progress>");
    expect(label?.getAttribute("title")).toBe("CAD 1234/21NOV · Burglary <in progress> (Crime scene)");
    expect(container.querySelector('[data-testid="incident-label-6"] .incident-label__dot')).not.toBeNull();
    expect(container.querySelectorAll(".leaflet-overlay-pane path")).toHaveLength(2);
    expect(container.querySelectorAll("path.leaflet-interactive")).toHaveLength(0);

    act(() => store.getState().applyEvents([{ kind: "incidents", incidents: [point] }]));
    expect(container.querySelector('[data-testid="incident-label-5"]')).toBeNull();
    expect(container.querySelectorAll(".leaflet-overlay-pane path")).toHaveLength(1);
  });
});
