export { MissionEditorProvider, useMissionEditor, type MissionActions, type MissionEditorProviderProps, type MissionEditorValue, type MissionVehicle } from "./MissionEditorContext";
export { MissionMapLayer, type MissionMapLayerProps } from "./MissionMapLayer";
export { MissionPanel } from "./MissionPanel";
export { missionStats, DEFAULT_FLIGHT_MODEL, type FlightModel, type MissionStats } from "./stats";
export { validateMission, type Problem, type ValidationContext } from "./validation";
export { sameMission } from "./compare";
export { fenceColour, missionPoints } from "./layerModel";
export { editorReducer, initialEditorState, type EditorAction, type EditorState, type ToolMode } from "./reducer";
