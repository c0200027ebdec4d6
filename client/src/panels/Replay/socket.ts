import { io, type Socket } from "socket.io-client";
import type { ReplayClientEvents, ReplayControl, ReplayInfo, ReplayOpenRequest, ReplayServerEvents, ReplayState, Result } from "../../../../server/protocol";
import { REQUEST_TIMEOUT_MS, asLiveSocket, type LiveSocket } from "../../connection";

export type ReplaySocket = Socket<ReplayServerEvents, ReplayClientEvents>;

/**
 * The "/replay" namespace on the same origin: the browser sends the session cookie with it exactly as with the
 * live socket (same origin, so withCredentials changes nothing there but keeps it true behind a split dev proxy).
 */
export function createReplaySocket(): ReplaySocket {
  return io("/replay", { autoConnect: false, withCredentials: true });
}

/**
 * The replay socket seen as a live socket, so the live connection layer (buffering per animation frame, connection
 * states) feeds the replay's own store unchanged. The replay namespace sends a subset of the live events; the
 * listeners of the others simply never fire.
 */
export function replayAsLiveSocket(socket: ReplaySocket): LiveSocket {
  return asLiveSocket(socket);
}

const NO_ANSWER = { ok: false as const, error: { code: "timeout", message: "no answer from the server" } };

/** Opening indexes the files on the server the first time: it may take longer than a control. */
export const OPEN_TIMEOUT_MS = 60_000;

export async function openReplay(socket: ReplaySocket, req: ReplayOpenRequest): Promise<Result<ReplayInfo>> {
  try {
    return await socket.timeout(OPEN_TIMEOUT_MS).emitWithAck("replay:open", req);
  } catch {
    return NO_ANSWER;
  }
}

export async function controlReplay(socket: ReplaySocket, control: ReplayControl): Promise<Result<ReplayState>> {
  try {
    return await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck("replay:control", control);
  } catch {
    return NO_ANSWER;
  }
}
