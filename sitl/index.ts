/** sitl/: the vehicle side. For now the tlog player; a simulator and launchers for ArduPilot SITL come next. */
export { TlogPlayer } from "./player";
export type { PacketSink, PlayerOptions, PlaybackSummary } from "./player";
