/**
 * server/mavlink: the only door to MAVLink. Links (udp/tcp/serial), framing, decoding to SI units, encoding,
 * stream requests, flight modes and .tlog reading. Import from here, never from the files inside.
 */
export type {
  Decoded, Frame, FramerCounters, LinkEvents, MavLink, MavMessage, MavMessageKind, MissionItemFields, OutgoingMessage,
  PeerId, TargetIds,
} from "./types";
export { MavlinkFramer, MAX_FRAME_LENGTH, copyFrame } from "./framer";
export { decodeFrame, firmwareVersion, DECODED_MSG_IDS, EKF_FLAGS, SENSOR_PREARM_CHECK } from "./decode";
export { decodeChartFrame } from "./chart-decode";
export type { ChartMessage } from "./chart-decode";
export { decodeCameraFrame, CAMERA_CMD } from "./camera-decode";
export type { CameraMessage } from "./camera-decode";
export { MavlinkEncoder } from "./encode";
export {
  telemetryRequests, dataStreamFallback, TELEMETRY_RATES, REQUESTED_ONCE, FALLBACK_STREAM_RATE_HZ,
} from "./streams";
export {
  MSG_ID, MAV_CMD, MAV_RESULT, MAV_DATA_STREAM_ALL, MAV_TYPE, MAV_AUTOPILOT, MAV_STATE_ACTIVE,
  MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, MAV_MODE_FLAG_SAFETY_ARMED, ARM_FORCE_MAGIC, GCS_DEFAULT_IDS, mavResultName, mavCmdName,
  MAV_MISSION_TYPE, MAV_MISSION_RESULT, mavMissionResultName,
} from "./ids";
export type { MsgIdName, MavResultName, MavMissionResultName } from "./ids";
export { modeName, modeNumber, modeNames, modeTable, COPTER_MODES, PLANE_MODES, ROVER_MODES, SUB_MODES } from "./modes";
export type { ModeTable } from "./modes";
export { vehicleClassOf, isVehicleHeartbeat } from "./enums";
export { messageName } from "./registry";
export { parseTlog, readTlogFile, loadTlogFile } from "./tlog";
export type { TlogEntry, TlogCounters, ParsedTlog } from "./tlog";
export { TlogStreamParser, frameOf } from "./tlog-stream";
export { parseLinkUrl, formatLinkUrl, linkUrlSchema } from "./url";
export type { LinkSpec, NetworkLinkKind } from "./url";
export { createLink } from "./links/create";
export type { LinkOptions } from "./links/create";
export { threadedUdpSockets } from "./links/udp-thread";
export type { StartUdpThread, UdpThreadData, UdpThreadOptions } from "./links/udp-thread";
export type { UdpSocketFactory } from "./links/udp";
export { RawDecoder, RawEncoder, messageId } from "./raw";
export type { RawFields, RawMessage, RawValue } from "./raw";
export {
  signingKey, signingTimestamp, MavlinkSigner, SignatureVerifier, setupSigningMessage, disableSigningMessage,
  SIGNATURE_BLOCK_LENGTH,
} from "./signing";
export type { SignerOptions, VerifierOptions, SignatureCheck, SignatureCounters, RawOutgoing } from "./signing";
export { MUTATION_KINDS, mutate, resealFrame, vehicleHeartbeat, withIds } from "./mutate";
export type { MutationKind } from "./mutate";
