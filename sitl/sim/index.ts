/** sitl/sim: the built-in ArduCopter-like simulator (vehicles, fleet on TCP/UDP links, fault injection). */
export { SimVehicle, SEVERITY } from "./vehicle";
export type { SimVehicleOptions, Clock } from "./vehicle";
export { SimFleet } from "./fleet";
export type { SimFleetOptions, FleetTransport, FleetVehicleOptions } from "./fleet";
export { parseFaultSchedule } from "./faults";
export type { FaultSpec, FaultKind } from "./faults";
export { createMission } from "./mission-port";
export type { MissionPorts } from "./mission-port";
