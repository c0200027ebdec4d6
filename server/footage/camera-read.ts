/**
 * A flight's camera events from its .tlog (run in the sync worker: it reads the whole file).
 *
 * Photos: ArduPilot sends CAMERA_FEEDBACK when a photo is taken and again at every stream slot after it (the same
 * stored feedback, with the same image number and time_usec), so a photo is counted once per (component, image
 * number, camera time); a new time under a number already seen is a new photo (the count restarts on a reboot).
 * img_idx 0 is the feedback sent before any photo. CAMERA_IMAGE_CAPTURED (a MAVLink camera) counts from 0 and says
 * whether the capture worked; failed ones are not photos.
 *
 * Recordings: CAMERA_CAPTURE_STATUS video_status 0 -> 1 -> 0. recording_time_ms is the camera's own count since it
 * started, so each status while recording says the start was (its .tlog time - recording_time_ms) or later by the
 * delivery delay: the smallest of these is the start. The end lies between the last status still recording and the
 * first idle one: their middle is taken. When the sender does not count (recording_time_ms 0, as ArduPilot's own
 * backend sends) the first recording status is the start, late by up to one status period. Accepted
 * VIDEO_START_CAPTURE / VIDEO_STOP_CAPTURE acks give a recording too, only when the ground station's command is in
 * the file as well (a file of both sides): an ack alone could answer another ground station's request.
 */
import { TlogStreamParser, decodeCameraFrame, CAMERA_CMD } from "../mavlink";
import type { CameraMessage, Frame } from "../mavlink";
import { fileChunks } from "../flights";
import type { CameraEvent, FlightCameraEvents } from "../protocol";

/** Photos kept per flight: far beyond a survey's thousands, a bound on what a file can make us hold. */
export const MAX_PHOTOS = 100_000;
/** Recordings kept per flight. */
export const MAX_RECORDINGS = 10_000;
/** An accepted video command's ack answers a command sent at most this long before it. */
const ACK_WINDOW_MS = 5_000;
const MAV_RESULT_ACCEPTED = 0;

type Photo = Extract<CameraEvent, { kind: "photo" }>;
type Recording = Extract<CameraEvent, { kind: "recording" }>;

interface OpenStatus { first: number; last: number; start: number | null; maxMs: number; statuses: number }

const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

export class CameraFold {
  private readonly photos: Photo[] = [];
  private readonly seen = new Set<string>();
  private photosDropped = 0;
  private readonly recordings: Recording[] = [];
  private readonly open = new Map<number, OpenStatus>();
  private readonly lastCommand = new Map<number, number>();
  private ackOpen: { start: number; component: number } | null = null;

  constructor(private readonly vehicle: { sysid: number }) {}

  push(timeUs: number, frame: Frame): void {
    const m = decodeCameraFrame(frame);
    if (!m) return;
    const time = Math.round(timeUs / 1000);
    if (m.kind === "cameraCommand") {
      // The ground station's side: a command to this vehicle (or to every system).
      if (frame.sysid !== this.vehicle.sysid && (m.targetSystem === this.vehicle.sysid || m.targetSystem === 0)) this.lastCommand.set(m.command, time);
      return;
    }
    if (frame.sysid !== this.vehicle.sysid) return;
    this.vehicleMessage(time, frame.compid, m);
  }

  private vehicleMessage(time: number, component: number, m: CameraMessage): void {
    switch (m.kind) {
      case "cameraFeedback":
        if (m.imageIndex > 0) this.photo(time, component, "CAMERA_FEEDBACK", m.imageIndex, m);
        return;
      case "imageCaptured":
        if (m.ok) this.photo(time, component, "CAMERA_IMAGE_CAPTURED", m.imageIndex, m);
        return;
      case "captureStatus":
        this.status(time, component, m.recording, m.recordingMs);
        return;
      case "cameraCommandAck":
        this.ack(time, component, m.command, m.result);
        return;
      default:
        return;
    }
  }

  private photo(time: number, component: number, message: Photo["message"], index: number,
    m: { utcMs: number | null; lat: number | null; lon: number | null; altAmsl: number; altRelative: number }): void {
    const key = `${component}/${message}/${index}/${m.utcMs ?? ""}`;
    if (this.seen.has(key)) return;
    if (this.photos.length >= MAX_PHOTOS) {
      this.photosDropped++;
      return;
    }
    this.seen.add(key);
    const placed = m.lat !== null;
    this.photos.push({
      kind: "photo", index, time, utc: m.utcMs === null ? null : Math.round(m.utcMs), lat: m.lat, lon: m.lon,
      altAmsl: placed ? m.altAmsl : null, altRelative: placed ? m.altRelative : null, message, component,
    });
  }

  private status(time: number, component: number, recording: boolean, recordingMs: number): void {
    const o = this.open.get(component);
    if (recording) {
      const start = recordingMs > 0 ? time - recordingMs : null;
      if (!o) {
        this.open.set(component, { first: time, last: time, start, maxMs: recordingMs, statuses: 1 });
        return;
      }
      o.last = time;
      o.statuses++;
      o.maxMs = Math.max(o.maxMs, recordingMs);
      if (start !== null && (o.start === null || start < o.start)) o.start = start;
      return;
    }
    if (o) {
      this.open.delete(component);
      this.closeStatus(component, o, time);
    }
  }

  private closeStatus(component: number, o: OpenStatus, idleAt: number | null): void {
    const counted = o.start !== null;
    const start = o.start ?? o.first;
    const lastRecording = counted ? Math.max(o.last, start + o.maxMs) : o.last;
    const end = idleAt === null ? lastRecording : Math.round((lastRecording + idleAt) / 2);
    const how = counted
      ? `start = .tlog time - recording_time_ms (earliest of ${o.statuses} CAMERA_CAPTURE_STATUS)`
      : `start = first of ${o.statuses} CAMERA_CAPTURE_STATUS recording (no recording_time_ms: late by up to one status period)`;
    const endHow = idleAt === null ? "still recording when the file ends" : `end between the last recording status and the first idle one (${iso(idleAt)})`;
    this.addRecording({ kind: "recording", start, end, ended: idleAt !== null, from: "capture_status", component, detail: `${how}; ${endHow}` });
  }

  private ack(time: number, component: number, command: number, result: number): void {
    if (result !== MAV_RESULT_ACCEPTED) return;
    if (command !== CAMERA_CMD.VIDEO_START_CAPTURE && command !== CAMERA_CMD.VIDEO_STOP_CAPTURE) return;
    const sent = this.lastCommand.get(command);
    if (sent === undefined || time - sent > ACK_WINDOW_MS || time < sent) return;
    this.lastCommand.delete(command);
    if (command === CAMERA_CMD.VIDEO_START_CAPTURE) {
      this.ackOpen ??= { start: time, component };
      return;
    }
    if (!this.ackOpen) return;
    const { start, component: opened } = this.ackOpen;
    this.ackOpen = null;
    this.addRecording({
      kind: "recording", start, end: time, ended: true, from: "command_ack", component: opened,
      detail: `VIDEO_START_CAPTURE accepted at ${iso(start)}, VIDEO_STOP_CAPTURE accepted at ${iso(time)} (COMMAND_ACK answering the ground station's COMMAND_LONG)`,
    });
  }

  private addRecording(r: Recording): void {
    if (this.recordings.length < MAX_RECORDINGS) this.recordings.push(r);
  }

  finish(): FlightCameraEvents {
    for (const [component, o] of this.open) this.closeStatus(component, o, null);
    this.open.clear();
    if (this.ackOpen) {
      const { start, component } = this.ackOpen;
      this.addRecording({ kind: "recording", start, end: start, ended: false, from: "command_ack", component,
        detail: `VIDEO_START_CAPTURE accepted at ${iso(start)}, no VIDEO_STOP_CAPTURE accepted before the file ends` });
      this.ackOpen = null;
    }
    const recordings = mergeRecordings(this.recordings);
    const events: CameraEvent[] = [...this.photos, ...recordings];
    events.sort((a, b) => (a.kind === "photo" ? a.time : a.start) - (b.kind === "photo" ? b.time : b.start));
    return { events, photosDropped: this.photosDropped, clock: clockOf(this.photos) };
  }
}

/**
 * One recording seen both ways (the camera's status and the accepted commands) is one recording: the status gives
 * its start (the camera's own count of time), the accepted stop its end, and the commands are named in its detail.
 */
function mergeRecordings(all: readonly Recording[]): Recording[] {
  const status = all.filter((r) => r.from === "capture_status");
  const out = [...status];
  for (const r of all) {
    if (r.from !== "command_ack") continue;
    const same = status.find((s) => s.start <= r.end + 1000 && r.start <= s.end + 1000);
    if (!same) {
      out.push(r);
      continue;
    }
    // The accepted stop is when the camera was told to stop: closer than the idle status, up to a period later.
    if (same.ended && r.ended) {
      same.end = r.end;
      same.detail = same.detail.replace(/end between the last recording status and the first idle one \([^)]*\)/, "end at the accepted VIDEO_STOP_CAPTURE");
    }
    same.detail += `; confirmed by ${r.detail}`;
  }
  return out;
}

function clockOf(photos: readonly Photo[]): FlightCameraEvents["clock"] {
  const d = photos.filter((p) => p.message === "CAMERA_FEEDBACK" && p.utc !== null).map((p) => p.time - p.utc!).sort((a, b) => a - b);
  if (d.length === 0) return null;
  return { minMs: d[0]!, medianMs: d[Math.floor((d.length - 1) / 2)]!, photos: d.length };
}

/** The camera events of `vehicle` in a .tlog, read chunk by chunk (bounded memory whatever the file's size). */
export async function readCameraEvents(tlogFile: string, vehicle: { sysid: number }): Promise<FlightCameraEvents> {
  const fold = new CameraFold(vehicle);
  const parser = new TlogStreamParser((e) => fold.push(e.timeUs, e.frame));
  for await (const chunk of fileChunks(tlogFile)) parser.push(chunk as Buffer);
  parser.end();
  return fold.finish();
}
