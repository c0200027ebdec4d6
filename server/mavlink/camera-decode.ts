/**
 * The camera's messages, for placing footage on a flight's clock and photos on its map: ArduPilot's CAMERA_FEEDBACK
 * (ardupilotmega dialect; AP_Camera_Backend::send_camera_feedback), and the camera protocol's CAMERA_IMAGE_CAPTURED
 * and CAMERA_CAPTURE_STATUS (sent by MAVLink cameras, or by ArduPilot for a mount/camera backend), plus the video
 * capture commands and their acks. Units are converted here: degE7 -> degrees, mm -> metres, UTC µs -> ms.
 */
import { messageClass, num } from "./fields";
import type { PayloadView } from "./fields";
import { MSG_ID } from "./ids";
import type { Frame } from "./types";

const CAMERA_FEEDBACK_ID = 180;
const CAMERA_CAPTURE_STATUS_ID = 262;
const CAMERA_IMAGE_CAPTURED_ID = 263;
const COMMAND_INT_ID = 75;

/** MAV_CMD numbers of the camera commands this reading follows. */
export const CAMERA_CMD = { DO_DIGICAM_CONTROL: 203, IMAGE_START_CAPTURE: 2000, VIDEO_START_CAPTURE: 2500, VIDEO_STOP_CAPTURE: 2501 } as const;

export type CameraMessage =
  /**
   * A photo as the autopilot reports it. imageIndex counts from 1 (0: no photo taken yet, as ArduPilot sends before
   * the first one); utcMs is the autopilot's GPS time of the trigger, null when it had none (time_usec 0).
   */
  | { kind: "cameraFeedback"; cameraIndex: number; imageIndex: number; utcMs: number | null; lat: number | null; lon: number | null;
    altAmsl: number; altRelative: number; completedCaptures: number }
  /** A photo as a MAVLink camera reports it. imageIndex counts from 0; ok: capture_result 1. */
  | { kind: "imageCaptured"; cameraId: number; imageIndex: number; utcMs: number | null; bootMs: number; lat: number | null; lon: number | null;
    altAmsl: number; altRelative: number; ok: boolean }
  /** Whether a video is being recorded, and for how long (recordingMs: 0 when the sender does not count it). */
  | { kind: "captureStatus"; bootMs: number; recording: boolean; recordingMs: number; imageInterval: number; imageCount: number }
  /** A camera command sent to the vehicle (COMMAND_LONG or COMMAND_INT). */
  | { kind: "cameraCommand"; command: number; targetSystem: number; targetComponent: number; param1: number }
  /** The answer to a camera command (MAV_RESULT number). */
  | { kind: "cameraCommandAck"; command: number; result: number; targetSystem: number };

type CameraDecoder = (p: PayloadView) => CameraMessage | null;

const CAMERA_COMMANDS: ReadonlySet<number> = new Set(Object.values(CAMERA_CMD));

/** degE7 pair to degrees; 0/0 is "no position" (ArduPilot sends it before its first fix). */
function position(latE7: number, lonE7: number): { lat: number | null; lon: number | null } {
  return latE7 === 0 && lonE7 === 0 ? { lat: null, lon: null } : { lat: latE7 / 1e7, lon: lonE7 / 1e7 };
}

/** µs since the epoch to ms, or null for 0 (unknown). */
const utcOf = (us: number): number | null => (us > 0 ? us / 1000 : null);

function feedback(): CameraDecoder {
  const c = messageClass(CAMERA_FEEDBACK_ID, "CAMERA_FEEDBACK");
  const time = num(c, "time_usec"), lat = num(c, "lat"), lng = num(c, "lng"), altMsl = num(c, "alt_msl"), altRel = num(c, "alt_rel");
  const img = num(c, "img_idx"), cam = num(c, "cam_idx"), completed = num(c, "completed_captures");
  return (p) => ({
    kind: "cameraFeedback", cameraIndex: cam(p), imageIndex: img(p), utcMs: utcOf(time(p)), ...position(lat(p), lng(p)),
    altAmsl: altMsl(p), altRelative: altRel(p), completedCaptures: completed(p),
  });
}

function imageCaptured(): CameraDecoder {
  const c = messageClass(CAMERA_IMAGE_CAPTURED_ID, "CAMERA_IMAGE_CAPTURED");
  const time = num(c, "time_utc"), boot = num(c, "time_boot_ms"), lat = num(c, "lat"), lon = num(c, "lon");
  const alt = num(c, "alt"), rel = num(c, "relative_alt"), index = num(c, "image_index"), cam = num(c, "camera_id"), result = num(c, "capture_result");
  return (p) => ({
    kind: "imageCaptured", cameraId: cam(p), imageIndex: index(p), utcMs: utcOf(time(p)), bootMs: boot(p), ...position(lat(p), lon(p)),
    altAmsl: alt(p) / 1000, altRelative: rel(p) / 1000, ok: result(p) === 1,
  });
}

function captureStatus(): CameraDecoder {
  const c = messageClass(CAMERA_CAPTURE_STATUS_ID, "CAMERA_CAPTURE_STATUS");
  const boot = num(c, "time_boot_ms"), video = num(c, "video_status"), rec = num(c, "recording_time_ms");
  const interval = num(c, "image_interval"), count = num(c, "image_count");
  return (p) => ({
    kind: "captureStatus", bootMs: boot(p), recording: video(p) === 1, recordingMs: rec(p), imageInterval: interval(p), imageCount: count(p),
  });
}

function command(id: number, name: "COMMAND_LONG" | "COMMAND_INT"): CameraDecoder {
  const c = messageClass(id, name);
  const cmd = num(c, "command"), sys = num(c, "target_system"), comp = num(c, "target_component"), p1 = num(c, "param1");
  return (p) => {
    const command = cmd(p);
    return CAMERA_COMMANDS.has(command) ? { kind: "cameraCommand", command, targetSystem: sys(p), targetComponent: comp(p), param1: p1(p) } : null;
  };
}

function commandAck(): CameraDecoder {
  const c = messageClass(MSG_ID.COMMAND_ACK, "COMMAND_ACK");
  const cmd = num(c, "command"), result = num(c, "result"), sys = num(c, "target_system");
  return (p) => {
    const command = cmd(p);
    return CAMERA_COMMANDS.has(command) ? { kind: "cameraCommandAck", command, result: result(p), targetSystem: sys(p) } : null;
  };
}

const DECODERS: ReadonlyMap<number, CameraDecoder> = new Map([
  [CAMERA_FEEDBACK_ID, feedback()],
  [CAMERA_IMAGE_CAPTURED_ID, imageCaptured()],
  [CAMERA_CAPTURE_STATUS_ID, captureStatus()],
  [MSG_ID.COMMAND_LONG, command(MSG_ID.COMMAND_LONG, "COMMAND_LONG")],
  [COMMAND_INT_ID, command(COMMAND_INT_ID, "COMMAND_INT")],
  [MSG_ID.COMMAND_ACK, commandAck()],
]);

/** The camera reading of a frame, or null for every other message (its payload is not touched). */
export function decodeCameraFrame(frame: Frame): CameraMessage | null {
  const decode = DECODERS.get(frame.msgid);
  return decode ? decode(frame) : null;
}
