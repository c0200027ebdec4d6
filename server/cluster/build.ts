import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { ClusterConfig } from "../config";
import { formatLinkUrl, parseLinkUrl } from "../mavlink";
import type { RealtimeOptions } from "../realtime";
import { VehicleMirror } from "./mirror";
import type { MirrorEvents, MirrorStats } from "./mirror";
import { LinkLeases } from "./links";
import type { LeasedLink, LeaseStore, LinkLeaseStats } from "./links";
import { ClusterRequests, BROADCAST_CHANNEL } from "./requests";
import { Succession } from "./succession";
import type { PresenceStore, SuccessionDeps, SuccessionStats } from "./succession";
import type { RequestStats } from "./requests";

/** The channel each server publishes its vehicles on. */
export const VEHICLES_CHANNEL = "dmc:vehicles";

export interface ClusterParts {
  /** This server's name among the others (new at each start). */
  server: string;
  mirror: VehicleMirror;
  /** Requests about a vehicle sent to the server that has its link, and sessions ended told to every server. */
  requests: ClusterRequests;
  /** The links configured on several servers (tcpout), each run by the one server holding its lease. */
  leaseLinks(links: readonly LeasedLink[]): LinkLeases;
  /**
   * This server says it is alive, and seals the open flights of a server gone (with a shared files directory).
   * `self` is the server's lasting id (the one its flights are recorded by).
   */
  succession(self: string, deps: Pick<SuccessionDeps, "openWork" | "succeed">): Succession;
  /**
   * Whether this server has the turn of a periodic job shared by the deployment (`name`) for `ms`: the first to ask
   * in a period has it. With Redis away, yes (a job run twice costs reads, not correctness).
   */
  turn(name: string, ms: number): Promise<boolean>;
  adapter: NonNullable<RealtimeOptions["adapter"]>;
  health(): ClusterHealth;
  stop(): Promise<void>;
}

export interface ClusterHealth extends MirrorStats {
  redis: "ready" | "connecting" | "down";
  /** Vehicle messages not published since start (Redis away: never queued, the next full message catches up). */
  notPublished: number;
  requests: RequestStats;
  /** Shared links run here and stood by for, and links taken over from a server gone or let go. */
  links: LinkLeaseStats;
  /** Servers gone whose open flights this server sealed, and those waiting to be sure. */
  succession: SuccessionStats;
}

/** Renews a lease only for its holder, and gives it up only for its holder (a lapsed lease may be someone else's). */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

function redisPresence(client: Redis): PresenceStore {
  return {
    mark: async (key, ms) => { await client.set(key, "1", "PX", ms); },
    present: async (key) => (await client.exists(key)) === 1,
    claim: async (key, holder, ms) => (await client.set(key, holder, "PX", ms, "NX")) === "OK",
  };
}

/** Leases on a connection that never queues: a renewal Redis cannot take now fails now, and the holder knows. */
function redisLeases(client: Redis): LeaseStore {
  return {
    acquire: async (key, holder, ms) => (await client.set(key, holder, "PX", ms, "NX")) === "OK",
    renew: async (key, holder, ms) => (await client.eval(RENEW, 1, key, holder, String(ms))) === 1,
    release: async (key, holder) => { await client.eval(RELEASE, 1, key, holder); },
  };
}

/** The Redis server named by --redis cannot be reached at start (a start error). */
export class RedisUnavailableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "RedisUnavailableError";
  }
}

/**
 * Several servers of one deployment through Redis: the Socket.IO adapter (events reach every server's screens)
 * and the vehicle mirror (each server's vehicles on every screen). Four connections: the adapter's two, and the
 * mirror's publisher (which never queues while Redis is away: a vehicle's state is worth sending only now) and
 * subscriber. Reconnects by itself; meanwhile each server shows its own vehicles, and the others' leave its
 * screens after SERVER_GONE_MS.
 */
export async function buildCluster(
  config: Extract<ClusterConfig, { kind: "redis" }>,
  deps: { log: Logger; now: () => number; audit: Pick<AuditLog, "record">; on?: Pick<MirrorEvents, "controlChanged" | "controlOrphaned"> },
): Promise<ClusterParts> {
  const log = deps.log.child({ part: "cluster" });
  const server = randomUUID();
  const open = (name: string, queue: boolean) => {
    const client = new Redis(config.url, { lazyConnect: true, enableOfflineQueue: queue, connectionName: `dmc-${name}`, maxRetriesPerRequest: queue ? 20 : 0 });
    let last = "";
    client.on("error", (err: Error) => {
      // Once per kind of trouble, not once per retry.
      if (err.message === last) return;
      last = err.message;
      log.warn({ err, connection: name }, "Redis connection trouble: retrying");
    });
    client.on("ready", () => {
      if (last !== "") log.info({ connection: name }, "Redis connection back");
      last = "";
    });
    return client;
  };
  const clients = [open("adapter-pub", true), open("adapter-sub", true), open("mirror-pub", false), open("mirror-sub", true)] as const;
  const [adapterPub, adapterSub, mirrorPub, mirrorSub] = clients;
  const requests = new ClusterRequests(server, {
    // Requests and answers wait for Redis to come back (the adapter's publisher queues); the mirror's never do.
    publish: (channel, message) => adapterPub.publish(channel, message),
    audit: deps.audit, log,
  });
  const close = () => Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    await mirrorSub.subscribe(VEHICLES_CHANNEL, requests.channel, BROADCAST_CHANNEL);
  } catch (err) {
    await close();
    throw new RedisUnavailableError(`Redis on ${config.host} cannot be used: ${(err as Error).message}`, err);
  }
  let notPublished = 0;
  let leases: LinkLeases | null = null;
  let succession: Succession | null = null;
  const mirror = new VehicleMirror(server, (message) => {
    if (mirrorPub.status !== "ready") {
      notPublished += 1;
      return;
    }
    mirrorPub.publish(VEHICLES_CHANNEL, message).catch(() => { notPublished += 1; });
  }, log, {
    serverGone: (id) => requests.serverGone(id),
    controlChanged: () => deps.on?.controlChanged?.(),
    controlOrphaned: (holders) => deps.on?.controlOrphaned?.(holders),
  });
  mirrorSub.on("message", (channel: string, message: string) => {
    if (channel === VEHICLES_CHANNEL) mirror.receive(message, deps.now());
    else requests.receive(channel, message);
  });
  log.info({ server, redis: config.host }, "sharing live vehicles and events with the deployment's other servers");
  return {
    server,
    mirror,
    requests,
    leaseLinks: (links) => {
      // One lease per vehicle endpoint, however each server spells its URL.
      leases = new LinkLeases(server, links.map((l) => ({ id: l.id, url: formatLinkUrl(parseLinkUrl(l.url)), start: () => l.start(), stop: () => l.stop() })),
        { store: redisLeases(mirrorPub), now: deps.now, log });
      return leases;
    },
    turn: async (name, ms) => {
      try {
        return (await mirrorPub.set(`dmc:turn:${name}`, server, "PX", Math.max(1, Math.round(ms)), "NX")) === "OK";
      } catch {
        return true;
      }
    },
    succession: (self, parts) => {
      succession = new Succession(self, { ...parts, store: redisPresence(mirrorPub), now: deps.now, log });
      return succession;
    },
    adapter: createAdapter(adapterPub, adapterSub, { key: "dmc:socket.io" }),
    health: () => ({
      ...mirror.stats(),
      redis: clients.every((c) => c.status === "ready") ? "ready" : clients.some((c) => c.status === "end") ? "down" : "connecting",
      notPublished,
      requests: requests.stats(),
      links: leases?.stats() ?? { held: [], standby: [], takenOver: 0, lost: 0 },
      succession: succession?.stats() ?? { succeeded: 0, settling: 0 },
    }),
    stop: async () => {
      await succession?.stop();
      await leases?.stop();
      requests.close();
      mirror.leave(deps.now());
      await close();
    },
  };
}
