export type { AppData, AppActions, AppState, AlertEntry, AuthState, ConnectionState, LiveEvent, TrailPoint, View } from "./types";
export { createAppStore, type AppStore } from "./store";
export { StoreProvider, useAppStore, useAppStoreApi } from "./context";
export { useNow, useServerNow, useVehicleList } from "./hooks";
export { DEFAULT_CONFIG, initialData, applyEvents, applyEvent, applySnapshot, applyFrame, applyDetail, applyStatusText, applyControl, applySignedIn, applySignedOut, resetData } from "./reducers";
export { appendTrailPoint, groundDistanceM, TRAIL_MAX_POINTS, TRAIL_MIN_STEP_M } from "./trail";
export { ALERTS_MAX, LINK_EVENTS_MAX } from "./alerts";
export {
  compareVehicles,
  countStale,
  heartbeatAge,
  isStale,
  lastStatusText,
  makeSelectVehicleList,
  selectSelectedVehicle,
  serverNow,
  watchedKeys,
} from "./selectors";
export { upsertAlerts, SERVER_ALERTS_MAX } from "./pilot";
