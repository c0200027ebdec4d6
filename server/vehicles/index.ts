export { VehicleRegistry } from "./registry";
export type { RegistryListeners } from "./registry";
export { reduceVehicle } from "./reducer";
export { emptyVehicle, STATUS_TEXT_LIMIT } from "./state";
export { ReceptionStats } from "./health";
export { StreamRequester } from "./streams";
export { GroundStation } from "./ground-station";
export type { GroundStationOptions } from "./ground-station";
export { TelemetryIngest } from "./ingest";
export type { IngestLink } from "./ingest";
export { CommandClient, COMMAND_DEFAULTS } from "./commands";
export type {
  CommandOutcome, CommandResult, CommandTarget, CommandRequest, SendOptions, CommandClock, CommandClientDeps, TimerHandle,
} from "./commands";
export type { MessageListener } from "./ingest";
