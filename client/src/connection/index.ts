export { startLiveConnection, type LiveConnection, type LiveConnectionOptions } from "./live";
export { animationFrameScheduler, type Scheduler } from "./scheduler";
export { asLiveSocket, createSocket, requestOverSocket, REQUEST_TIMEOUT_MS, type ControlAction, type LiveSocket, type LiveSocketEvents, type TypedSocket } from "./socket";
export { fetchClientConfig, loadClientConfig } from "./config";
