import type { Logger } from "pino";
import type { Decoded, OutgoingMessage, TargetIds } from "../mavlink";
import { dataStreamFallback, telemetryRequests } from "../mavlink";

/** How long to wait for position after asking with SET_MESSAGE_INTERVAL before the fallback. */
const FALLBACK_AFTER_MS = 3000;
const MAX_ATTEMPTS = 5;
/**
 * Heartbeats without position for this long: the autopilot restarted faster than the link-lost timeout (its
 * stream rates died with it) or another client turned the streams off. Ask again.
 */
const STALL_MS = 5000;
/**
 * Vehicles asked per second, all links together (a burst of as many). 200 vehicles appearing at once (a server
 * restart, a dock's fleet) are asked over 4 s instead of in one storm of a few thousand packets; the others are
 * asked at a later heartbeat.
 */
export const STREAM_REQUESTS_PER_SECOND = 50;

interface Request {
  at: number;
  attempts: number;
  /** Time of the last position since the request, null before the first. */
  lastPosition: number | null;
}

export type SendTo = (linkId: string, messages: OutgoingMessage[]) => void;

/**
 * Asks each vehicle, on each link it is heard on, for the telemetry the ground station needs.
 * A real ArduCopter sends no position until asked, and its stream rates are per port and die with the
 * autopilot process, so we ask after the first HEARTBEAT, after every reconnection of the link, and after
 * the vehicle comes back from being lost (it may have rebooted). SET_MESSAGE_INTERVAL comes first; if no
 * position arrives, REQUEST_DATA_STREAM is the fallback for firmware that ignores it.
 */
export class StreamRequester {
  /** Per link id, per vehicle (sysid * 256 + compid): numbers, not a string made for each packet. */
  private readonly requests = new Map<string, Map<number, Request>>();
  private tokens = STREAM_REQUESTS_PER_SECOND;
  private tokensAt = -Infinity;

  constructor(private readonly send: SendTo, private readonly log: Logger) {}

  observe(decoded: Decoded, linkId: string, time: number): void {
    const kind = decoded.message.kind;
    if (kind !== "heartbeat" && kind !== "globalPosition") return;
    const id = decoded.sysid * 256 + decoded.compid;
    let onLink = this.requests.get(linkId);
    const request = onLink?.get(id);
    if (kind === "globalPosition") {
      if (request) request.lastPosition = time;
      return;
    }
    if (decoded.message.kind !== "heartbeat" || !decoded.message.isVehicle) return;
    const target: TargetIds = { sysid: decoded.sysid, compid: decoded.compid };
    const stalled = request?.lastPosition != null && time - request.lastPosition > STALL_MS;
    if (!request || stalled) {
      if (!this.take(time)) return;
      if (onLink === undefined) this.requests.set(linkId, (onLink = new Map()));
      onLink.set(id, { at: time, attempts: 1, lastPosition: null });
      this.log.info({ vehicle: `${target.sysid}:${target.compid}`, link: linkId, stalled },
        stalled ? "position stopped while heartbeats go on: requesting telemetry streams again" : "requesting telemetry streams");
      this.send(linkId, telemetryRequests(target));
      return;
    }
    if (request.lastPosition !== null || time - request.at < FALLBACK_AFTER_MS || request.attempts >= MAX_ATTEMPTS) return;
    // Half the budget stays for vehicles not asked yet.
    if (!this.take(time, STREAM_REQUESTS_PER_SECOND / 2)) return;
    request.at = time;
    request.attempts += 1;
    this.log.warn({ vehicle: `${target.sysid}:${target.compid}`, link: linkId, attempt: request.attempts },
      "no position yet: asking again, with REQUEST_DATA_STREAM as fallback");
    this.send(linkId, [...telemetryRequests(target), ...dataStreamFallback(target)]);
    if (request.attempts >= MAX_ATTEMPTS) {
      this.log.error({ vehicle: `${target.sysid}:${target.compid}`, link: linkId }, "vehicle sends no position after repeated requests");
    }
  }

  /**
   * The vehicle came back after being lost (it may have rebooted), its peer reconnected, or it was dropped: ask
   * again on every link.
   */
  forgetVehicle(key: string): void {
    const [sysid, compid] = key.split(":").map(Number);
    if (sysid === undefined || compid === undefined) return;
    for (const onLink of this.requests.values()) onLink.delete(sysid * 256 + compid);
  }

  /** One vehicle's request from the per-second budget (refilled from the packets' clock), leaving `reserve`. */
  private take(time: number, reserve = 0): boolean {
    const elapsed = time - this.tokensAt;
    this.tokensAt = time;
    if (elapsed > 0) this.tokens = Math.min(STREAM_REQUESTS_PER_SECOND, this.tokens + (elapsed * STREAM_REQUESTS_PER_SECOND) / 1000);
    if (this.tokens < 1 + reserve) return false;
    this.tokens -= 1;
    return true;
  }
}
