export { ControlRegistry, sessionMatches } from "./registry";
export type { CarriedHolder, ControlActor, ControlDeps, SessionMatch } from "./registry";
export { CommandGate } from "./gate";
export type { Authorised, RouteOf, RunCommand } from "./gate";
export { MissionService } from "./missions";
export type { MissionServiceDeps, PlanTransfers, TransferProgress } from "./missions";
export { buildControl } from "./build";
export type { ControlParts, ControlBuildDeps, ControlWiring } from "./build";
