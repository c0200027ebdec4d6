import pino from "pino";
import type { Frame } from "../../server/mavlink";
import { SimFleet } from "../../sitl/sim/fleet";
import type { SimVehicle } from "../../sitl/sim/vehicle";

/**
 * One simulated ArduCopter (sysid 1, in London) served over TCP, keeping every frame it is sent: what a ground
 * station's command put on the wire. Start it with `fleet.start()` (its `links` are tcpout URLs to give a server).
 */
export function oneCopter(): { fleet: SimFleet; sim: SimVehicle; toVehicle: Frame[] } {
  const fleet = new SimFleet({ vehicles: [{ sysid: 1, home: { lat: 51.5074, lon: -0.1278, altAmsl: 10 } }], transport: { kind: "tcp", basePort: 0 },
    bootTimeScale: 0.1, logger: pino({ level: "silent" }) });
  const toVehicle: Frame[] = [];
  const sim = fleet.vehicle(0);
  const receive = sim.receive.bind(sim);
  sim.receive = (frame: Frame) => {
    toVehicle.push(frame);
    receive(frame);
  };
  return { fleet, sim, toVehicle };
}
