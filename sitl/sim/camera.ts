/**
 * The vehicle's camera as ArduPilot's AP_Camera handles it (AP_Camera.cpp handle_command, AP_Camera_Backend.cpp):
 * - MAV_CMD_DO_DIGICAM_CONTROL with param5 (shot) 1, or MAV_CMD_IMAGE_START_CAPTURE for one image: a photo; the
 *   image number goes up, the feedback is prepared with the GPS time (time_usec) and the AHRS position and attitude,
 *   and CAMERA_FEEDBACK goes out at once. Accepted.
 * - MAV_CMD_VIDEO_START_CAPTURE / STOP_CAPTURE: record_video(); only a camera that can record (ArduPilot: a mount
 *   camera such as a Siyi or Topotek gimbal) does, so ACCEPTED there, FAILED on a servo or relay camera.
 * - CAMERA_FEEDBACK and CAMERA_CAPTURE_STATUS go out again at the interval a ground station sets with
 *   SET_MESSAGE_INTERVAL (CAMERA_FEEDBACK resends the last photo's feedback unchanged), or once on REQUEST_MESSAGE.
 *   CAMERA_CAPTURE_STATUS carries video_status and, when `countsRecordingTime`, the time since recording started
 *   (ArduPilot's own servo backend always sends 0 for both; a camera that records counts it).
 */
import type { RawFields } from "../../server/mavlink";
import type { CommandIn, CommandOutcome } from "./commands";
import { RESULT } from "./commands";
import type { VehicleView } from "./view";

const CAMERA_FEEDBACK_ID = 180;
const CAMERA_CAPTURE_STATUS_ID = 262;
const CMD = {
  SET_MESSAGE_INTERVAL: 511, REQUEST_MESSAGE: 512, DO_DIGICAM_CONTROL: 203, IMAGE_START_CAPTURE: 2000, VIDEO_START_CAPTURE: 2500, VIDEO_STOP_CAPTURE: 2501,
} as const;
/** CAMERA_FEEDBACK_FLAGS: CAMERA_FEEDBACK_PHOTO. */
const FEEDBACK_PHOTO = 0;

export interface SimCameraOptions {
  /** Whether the camera can record video (a mount camera); a servo/relay camera cannot. Default true. */
  canRecord?: boolean;
  /** CAMERA_CAPTURE_STATUS.recording_time_ms counts from the start of the recording (else 0). Default true. */
  countsRecordingTime?: boolean;
}

/** Where the vehicle is and how it is turned when a photo is taken (the AHRS's answer), and its clocks. */
export interface CameraPose {
  timeBootMs: number;
  /** GPS time, ms since the epoch; null without a fix (time_usec 0). */
  gpsUnixMs: number | null;
  lat: number;
  lon: number;
  altAmsl: number;
  altRelative: number;
  /** Degrees. */
  roll: number;
  pitch: number;
  yaw: number;
}

/** What the camera needs of its vehicle. */
export interface CameraHost {
  now(): number;
  pose(now: number): CameraPose;
  send(name: string, fields: RawFields): void;
}

const deg = (rad: number) => (rad * 180) / Math.PI;

/** The simulated vehicle's pose from its telemetry view. */
export function poseOf(view: VehicleView): CameraPose {
  return {
    timeBootMs: view.timeBootMs, gpsUnixMs: view.gpsFix ? view.unixMs : null, lat: view.lat, lon: view.lon, altAmsl: view.altAmsl,
    altRelative: view.altAmsl - (view.home?.altAmsl ?? view.altAmsl), roll: deg(view.phys.roll), pitch: deg(view.phys.pitch),
    yaw: (view.phys.heading + 360) % 360,
  };
}

type Feedback = CameraPose;

export class SimCamera {
  private imageIndex = 0;
  private feedback: Feedback | null = null;
  private recordingSince: number | null = null;
  /** Intervals set by SET_MESSAGE_INTERVAL, ms, and when each is next due. */
  private readonly intervals = new Map<number, { every: number; next: number }>();
  private readonly canRecord: boolean;
  private readonly countsRecordingTime: boolean;

  constructor(private readonly v: CameraHost, opts: SimCameraOptions = {}) {
    this.canRecord = opts.canRecord ?? true;
    this.countsRecordingTime = opts.countsRecordingTime ?? true;
  }

  get recording(): boolean {
    return this.recordingSince !== null;
  }

  get photos(): number {
    return this.imageIndex;
  }

  /** The outcome of a camera command, or null when `c` is not one (the vehicle's own handling goes on). */
  command(c: CommandIn): CommandOutcome | null {
    const [p1, p2, p3] = c.params;
    switch (c.command) {
      case CMD.DO_DIGICAM_CONTROL:
        // param5 (shot): 1 takes a picture; the rest (session, zoom, focus) is forwarded to components, still accepted.
        // COMMAND_INT carries param5 in x, which commandIn reads as degE7.
        if (Math.round(c.isInt ? c.lat * 1e7 : c.lat) === 1) this.takePicture();
        return { result: RESULT.ACCEPTED };
      case CMD.IMAGE_START_CAPTURE:
        // One image (param3 total 1) is what this models; an interval series is not.
        if (p3 !== 1) return { result: RESULT.UNSUPPORTED };
        this.takePicture();
        return { result: RESULT.ACCEPTED };
      case CMD.VIDEO_START_CAPTURE:
      case CMD.VIDEO_STOP_CAPTURE:
        return { result: this.recordVideo(c.command === CMD.VIDEO_START_CAPTURE) ? RESULT.ACCEPTED : RESULT.FAILED };
      case CMD.SET_MESSAGE_INTERVAL:
        if (p1 !== CAMERA_FEEDBACK_ID && p1 !== CAMERA_CAPTURE_STATUS_ID) return null;
        if (p2 <= 0) this.intervals.delete(p1);
        else this.intervals.set(p1, { every: p2 / 1000, next: this.v.now() });
        return { result: RESULT.ACCEPTED };
      case CMD.REQUEST_MESSAGE:
        if (p1 !== CAMERA_FEEDBACK_ID && p1 !== CAMERA_CAPTURE_STATUS_ID) return null;
        return { result: RESULT.ACCEPTED, after: () => this.sendMessage(p1) };
      default:
        return null;
    }
  }

  /** Sends what is due at `now` (the vehicle's tick). */
  tick(now: number): void {
    for (const [msgid, due] of this.intervals) {
      if (now < due.next) continue;
      due.next = Math.max(due.next + due.every, now);
      this.sendMessage(msgid);
    }
  }

  private takePicture(): void {
    this.imageIndex++;
    // AP_Camera_Backend::log_picture: with no feedback pin, the GPS's time of now (0 without a fix) and the AHRS's pose.
    this.feedback = this.v.pose(this.v.now());
    this.sendMessage(CAMERA_FEEDBACK_ID);
  }

  private recordVideo(start: boolean): boolean {
    if (!this.canRecord) return false;
    if (start && this.recordingSince === null) this.recordingSince = this.v.now();
    if (!start) this.recordingSince = null;
    return true;
  }

  private sendMessage(msgid: number): void {
    if (msgid === CAMERA_FEEDBACK_ID) {
      const f = this.feedback;
      this.v.send("CAMERA_FEEDBACK", {
        time_usec: f?.gpsUnixMs ? f.gpsUnixMs * 1000 : 0, target_system: 0, cam_idx: 0, img_idx: this.imageIndex,
        lat: f ? Math.round(f.lat * 1e7) : 0, lng: f ? Math.round(f.lon * 1e7) : 0, alt_msl: f?.altAmsl ?? 0, alt_rel: f?.altRelative ?? 0,
        roll: f?.roll ?? 0, pitch: f?.pitch ?? 0, yaw: f?.yaw ?? 0, foc_len: 0, flags: FEEDBACK_PHOTO, completed_captures: 0,
      });
      return;
    }
    const now = this.v.now();
    const since = this.recordingSince;
    this.v.send("CAMERA_CAPTURE_STATUS", {
      time_boot_ms: this.v.pose(now).timeBootMs, image_status: 0, video_status: since === null ? 0 : 1, image_interval: 0,
      recording_time_ms: since !== null && this.countsRecordingTime ? Math.round(now - since) : 0, available_capacity: Number.NaN, image_count: this.imageIndex,
    });
  }
}
