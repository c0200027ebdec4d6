export { CommandPanel, type CommandPanelProps } from "./CommandPanel";
export { FleetActions, type FleetActionsProps } from "./FleetActions";
export type { CommandSender, GotoPoint } from "./types";
