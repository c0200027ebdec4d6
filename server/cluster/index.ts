/** server/cluster: several servers of one deployment sharing live vehicles and screens' events through Redis. */
export { buildCluster, RedisUnavailableError, VEHICLES_CHANNEL } from "./build";
export type { ClusterHealth, ClusterParts } from "./build";
export { VehicleMirror, FULL_EVERY_MS, SERVER_GONE_MS, MAX_REMOTE_VEHICLES, MAX_SERVERS } from "./mirror";
export type { MirrorEvents, MirrorMessage, MirrorStats } from "./mirror";
export { ClusterRequests, ROUTED_EVENTS, REQUEST_TIMEOUT_MS, MAX_PENDING, MAX_SERVING, SERVER_CHANNEL_PREFIX, BROADCAST_CHANNEL } from "./requests";
export type { Locate, RequestStats } from "./requests";
export { LinkLeases, LEASE_MS, LEASE_TICK_MS, LEASE_KEY_PREFIX } from "./links";
export type { LeasedLink, LeaseStore, LinkLeaseStats } from "./links";
export { Succession, ALIVE_MS, SETTLE_MS, SUCCESSION_EVERY_MS, ALIVE_KEY_PREFIX, SUCCEED_KEY_PREFIX } from "./succession";
export type { OpenWork, PresenceStore, SuccessionStats } from "./succession";
