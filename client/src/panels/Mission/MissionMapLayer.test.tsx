import { cleanup, render } from "@testing-library/react";
import { MapContainer } from "react-leaflet";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Mission } from "../../../../server/protocol";
import { copterFlight1 } from "../../test/missions";
import { type MissionActions, MissionEditorProvider } from "./MissionEditorContext";
import { MissionMapLayer } from "./MissionMapLayer";

afterEach(cleanup);

const never = () => new Promise<never>(() => {});
const actions: MissionActions = { upload: vi.fn(never), download: vi.fn(never), clear: vi.fn(never), importFile: vi.fn(never), exportFile: vi.fn(never), start: vi.fn(never) };

// A smoke test in jsdom (no layout): the markers and their test hooks exist. Dragging and clicking are for the browser test.
describe("MissionMapLayer", () => {
  function renderLayer(onVehiclePlan: Mission) {
    const draft = copterFlight1();
    draft.rally.push({ lat: 51.507, lon: -0.128, alt: 20 });
    draft.fence.circles.push({ inclusion: true, center: { lat: 51.5074, lon: -0.1278 }, radius: 300 });
    return render(
      <MissionEditorProvider actions={actions} vehicle={{ key: "1:1", armed: true, home: null, mission: { current: 3, total: 6, reached: [1, 2], state: "active" } }}
        progress={null} onVehicle={{ key: "1:1", plan: onVehiclePlan, verifiedAt: 1, source: "upload", by: "pia" }} canCommand initialDraft={draft}>
        <MapContainer center={[51.5074, -0.1278]} zoom={16} style={{ width: 800, height: 600 }}>
          <MissionMapLayer />
        </MapContainer>
      </MissionEditorProvider>,
    ).container;
  }

  it("renders numbered item markers and rally points, with the flight's progress when the draft is on the vehicle", () => {
    const plan = copterFlight1();
    plan.rally.push({ lat: 51.507, lon: -0.128, alt: 20 });
    plan.fence.circles.push({ inclusion: true, center: { lat: 51.5074, lon: -0.1278 }, radius: 300 });
    const container = renderLayer(plan);
    const ids = [...container.querySelectorAll("[data-testid]")].map((e) => e.getAttribute("data-testid"));
    expect(ids).toEqual(expect.arrayContaining(["mission-item-2", "mission-item-3", "mission-item-4", "mission-item-5", "rally-point-1"]));
    expect(container.querySelector('[data-testid="mission-item-2"]')?.getAttribute("data-progress")).toBe("reached");
    expect(container.querySelector('[data-testid="mission-item-3"]')?.getAttribute("data-progress")).toBe("current");
  });

  it("shows no progress on a draft that differs from the vehicle's mission", () => {
    const container = renderLayer(copterFlight1());
    expect(container.querySelector('[data-testid="mission-item-3"]')?.getAttribute("data-progress")).toBe("planned");
  });
});
