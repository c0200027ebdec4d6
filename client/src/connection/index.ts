export { startLiveConnection, type LiveConnection, type LiveConnectionOptions } from "./live";
export { animationFrameScheduler, type Scheduler } from "./scheduler";
export { asLiveSocket, createSocket, requestOverSocket, REQUEST_TIMEOUT_MS, VEHICLE_TIMEOUT_MS, TRANSFER_TIMEOUT_MS, type ControlAction, type LiveCall, type AckOf, type PayloadOf, type LiveSocket, type LiveSocketEvents, type TypedSocket } from "./socket";
export { watchDetail } from "./watch";
export { fetchClientConfig, loadClientConfig } from "./config";
