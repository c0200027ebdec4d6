// Test data (imported by tests only): sample missions hand-translated from missions/*.waypoints.
import type { Mission, MissionItem } from "../../../server/protocol";

function item(command: number, frame: number, p1: number, lat: number, lon: number, alt: number): MissionItem {
  return { command, frame, params: [p1, 0, 0, 0], lat, lon, alt, autocontinue: true };
}

const noFence = () => ({ polygons: [], circles: [] });

/** missions/copter_flight_1.waypoints: take-off to 30 m, a 100 m diamond around Trafalgar Square, RTL. */
export function copterFlight1(): Mission {
  return {
    home: { lat: 51.5073998, lon: -0.1278, altAmsl: 10.09 },
    items: [
      item(22, 3, 0, 0, 0, 30),
      item(16, 3, 0, 51.50829811528412, -0.1278, 30),
      item(16, 3, 0, 51.5073998, -0.12635672281856022, 30),
      item(16, 3, 0, 51.50650148471588, -0.1278, 30),
      item(16, 3, 0, 51.5073998, -0.12924327718143977, 30),
      item(20, 3, 0, 0, 0, 0),
    ],
    fence: noFence(),
    rally: [],
  };
}

/** missions/inspection-tower-bridge.waypoints: take-off to 50 m, a waypoint, a 30 s loiter, a waypoint, RTL. */
export function towerBridge(): Mission {
  return {
    home: { lat: 51.5041, lon: -0.079, altAmsl: 5 },
    items: [
      item(22, 3, 0, 0, 0, 50),
      item(16, 3, 0, 51.5048, -0.0772, 50),
      item(19, 3, 30, 51.5053, -0.076, 50),
      item(16, 3, 0, 51.5061, -0.0747, 50),
      item(20, 0, 0, 0, 0, 0),
    ],
    fence: noFence(),
    rally: [],
  };
}
