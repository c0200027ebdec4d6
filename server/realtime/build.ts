import type { Server as HttpServer } from "node:http";
import type { Logger } from "pino";
import type { AlertEngine } from "../alerts";
import type { SessionStore } from "../auth";
import type { Config } from "../config";
import type { ControlParts } from "../control";
import { sessionOf } from "../http";
import type { OriginPolicy } from "../http";
import type { GroundStation, VehicleRegistry } from "../vehicles";
import type { IncidentMarker } from "../protocol";
import { TRAIL_TOLERANCE_M } from "../protocol";
import { liveHandlers } from "./handlers";
import { RealtimeServer } from "./server";
import type { LiveSource, RealtimeOptions, SocketSessions } from "./server";
import type { CommandHandlers } from "./commands";

export interface RealtimeBuildDeps extends ControlParts {
  log: Logger;
  now: () => number;
  http: HttpServer;
  origins: OriginPolicy;
  registry: VehicleRegistry;
  groundStation: GroundStation;
  alerts: AlertEngine;
  sessions: SessionStore;
  /** How often sockets' sessions are checked again, ms (default 30 s). */
  revalidateMs?: number;
  /** Open incidents with a place, for the snapshot. */
  incidents?: () => IncidentMarker[];
  /** Several servers: the other servers' vehicles on this one's screens, and Socket.IO's adapter (--redis). */
  cluster?: {
    wrap(source: LiveSource): LiveSource;
    adapter: NonNullable<RealtimeOptions["adapter"]>;
    /** The events about a vehicle whose link is on another server go there (its control is held there). */
    route(handlers: CommandHandlers): CommandHandlers;
  };
}

/** The Socket.IO server on the web server: live frames each tick, and the pilots' events through control. */
export function buildRealtime(config: Pick<Config, "tickMs">, deps: RealtimeBuildDeps): RealtimeServer {
  const { now, registry, control, missions, alerts, sessions } = deps;
  const gs = deps.groundStation;
  const socketSessions: SocketSessions = {
    async authenticate(cookieHeader) {
      const user = await sessionOf(sessions, cookieHeader);
      return user ? { user: { name: user.name, roles: user.roles }, sessionHash: user.sessionHash } : null;
    },
    isLive: async (hash, use) => (await sessions.validateHash(hash, now(), use)).ok,
    ended: (match, reason) => control.sessionsEnded(match, reason),
  };
  const local = liveHandlers({
    control,
    commands: deps.gate,
    missions,
    alerts: { acknowledge: (id, who) => alerts.acknowledge(id, who, now()) },
  });
  const handlers = deps.cluster ? deps.cluster.route(local) : local;
  const source: LiveSource = {
    now,
    snapshot: (time) => registry.snapshot(time),
    changed: (time) => {
      registry.sweep(time);
      // Every vehicle, not only the changed ones: the rules' hold and clear timers run on every tick.
      const all = registry.snapshot(time);
      alerts.evaluate(all, time);
      missions.observe(all);
      // A gone server's pilots get their vehicles back here once the vehicles are heard here (several servers).
      control.adoptCarried(time);
      return registry.takeChanged(time);
    },
    current: (key, time) => registry.get(key, time),
    removed: () => registry.takeRemoved(),
    links: () => gs.linkStatuses(),
    trailKeys: () => registry.trailKeys(),
    trail: (key) => registry.packedTrail(key, TRAIL_TOLERANCE_M),
    control: () => control.state(),
    missions: () => missions.all(),
    alerts: () => alerts.recent(),
    events: () => alerts.recentEvents(),
    ...(deps.incidents ? { incidents: deps.incidents } : {}),
  };
  return new RealtimeServer(deps.http, deps.cluster ? deps.cluster.wrap(source) : source, {
    tickMs: config.tickMs,
    ...(deps.cluster ? { adapter: deps.cluster.adapter } : {}),
    refusal: (req) => deps.origins.refusal(req),
    ...(deps.revalidateMs !== undefined ? { revalidateMs: deps.revalidateMs } : {}),
  }, socketSessions, handlers, deps.log.child({ part: "realtime" }));
}
