import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { Config } from "../config";
import type { FlightCatalogue, FlightIntegrityChecker } from "../flights";
import type { RealtimeServer } from "../realtime";
import type { BookmarkStore } from "./bookmarks";
import { ReplaySessions } from "./sessions";
import { REPLAY_NAMESPACE, attachReplay } from "./socket";
import type { ReplayNamespace, ReplaySocket } from "./socket";

export interface ReplayBuildDeps {
  /** The live Socket.IO server: the replay namespace shares its origin check, cookie check and session ends. */
  realtime: Pick<RealtimeServer, "namespace" | "sessions" | "endSessions">;
  catalogue: Pick<FlightCatalogue, "get">;
  integrity: Pick<FlightIntegrityChecker, "current">;
  bookmarks: Pick<BookmarkStore, "ofFlights">;
  audit: { append(entry: AuditInput): Promise<unknown> };
  log: Logger;
  /** At most this many sessions at once (default of ReplaySessions: 16). */
  maxSessions?: number;
}

export interface ReplayParts {
  /** Sessions open now (for /api/health). */
  count(): number;
  /** Closes every session (the sockets go with the io server). */
  stop(): Promise<void>;
}

/**
 * The reviewers' replay: sessions that play recorded flights through the live pipeline, served on the "/replay"
 * namespace of the live io server. Playback ticks at the live frame period, so a replayed frame looks like a live one.
 */
export function buildReplay(config: Pick<Config, "filesDir" | "tickMs" | "alerts">, deps: ReplayBuildDeps): ReplayParts {
  const log = deps.log.child({ part: "replay" });
  const sessions = new ReplaySessions({
    catalogue: deps.catalogue,
    // The file's state as the flight routes find it; a mismatch found here is audited with "replay" as its trigger.
    integrity: { current: (flight, _why, user) => deps.integrity.current(flight, "replay", user) },
    bookmarksOf: (ids) => deps.bookmarks.ofFlights(ids),
    dataDir: config.filesDir,
    log,
    tickMs: config.tickMs,
    // The live server's rules: a replay raises what the control room would have seen.
    alerts: config.alerts,
    ...(deps.maxSessions !== undefined ? { maxSessions: deps.maxSessions } : {}),
  });
  const rt = deps.realtime;
  // The io server types its namespaces with the live events; this one carries the replay contract's.
  const nsp = rt.namespace(REPLAY_NAMESPACE, (socket, reason) => {
    (socket as unknown as ReplaySocket).emit("replay:closed", reason);
  }) as unknown as ReplayNamespace;
  attachReplay(nsp, {
    sessions,
    audit: deps.audit,
    log,
    session: {
      alive: (hash) => rt.sessions.isLive(hash, true),
      ended: (hash) => {
        rt.endSessions({ sessionHash: hash }, "session expired");
        rt.sessions.ended({ sessionHash: hash }, "session expired");
      },
    },
  });
  return { count: () => sessions.count(), stop: () => sessions.stop() };
}
