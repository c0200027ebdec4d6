export { VehicleRegistry } from "./registry";
export type { CommandAckEvent, RegistryDump, RegistryListeners } from "./registry";
export { reduceVehicle } from "./reducer";
export { emptyVehicle, STATUS_TEXT_LIMIT } from "./state";
export { ReceptionStats } from "./health";
export { StreamRequester } from "./streams";
export { GroundStation } from "./ground-station";
export type { GroundStationOptions, ForeignPacket } from "./ground-station";
export { VehicleAdmission } from "./admission";
export { DEFAULT_ADMISSION } from "./admission-options";
export type { AdmissionOptions, AdmissionEvents } from "./admission-options";
export { admissionReport } from "./admission-report";
export { TelemetryIngest } from "./ingest";
export type { IngestLink } from "./ingest";
export { CommandClient, COMMAND_DEFAULTS } from "./commands";
export type {
  CommandOutcome, CommandResult, CommandTarget, CommandRequest, SendOptions, CommandClock, CommandClientDeps, TimerHandle,
} from "./commands";
export type { MessageListener } from "./ingest";
export { PilotCommands } from "./pilot";
export { MissionClient } from "./missions";
export type { MissionClientOptions } from "./missions";
export { MISSION_DEFAULTS } from "./missions-exchange";
export type { TransferOutcome, TransferOptions, TransferErrorCode } from "./missions-exchange";
export { PLAN_ERROR_CODE } from "./missions-plan";
export type { PlanProgress } from "./missions-plan";
export { missionResultText } from "./missions-results";
export { buildVehicles } from "./build";
export type { VehicleParts, VehiclesBuildDeps, VehiclesConfig, VehicleWiring } from "./build";
