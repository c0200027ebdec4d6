export { startLiveConnection, type LiveConnection, type LiveConnectionOptions } from "./live";
export { animationFrameScheduler, type Scheduler } from "./scheduler";
export { asLiveSocket, createSocket, type LiveSocket, type LiveSocketEvents, type TypedSocket } from "./socket";
export { fetchClientConfig, loadClientConfig } from "./config";
