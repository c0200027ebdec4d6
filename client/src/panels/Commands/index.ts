export { CommandControls, CommandPanel, type CommandControlsProps, type CommandPanelProps } from "./CommandPanel";
export { CommandDeskProvider, type CommandDeskProviderProps } from "./CommandDesk";
export { FleetActions, type FleetActionsProps } from "./FleetActions";
export { StopControls } from "./StopControls";
export type { CommandSender, GotoPoint } from "./types";
