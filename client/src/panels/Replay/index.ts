export { ReplayPage } from "./ReplayPage";
export { formatReplayLink, isReplayPath, REPLAY_PATH, type ReplayLink } from "./url";
