import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { Config } from "../config";
import { createLink, signingKey, threadedUdpSockets } from "../mavlink";
import type { LinkOptions, MavLink } from "../mavlink";
import type { VehicleKey } from "../protocol";
import { startWorker } from "../worker-entry";
import { admissionReport } from "./admission-report";
import type { AdmissionReportDeps } from "./admission-report";
import { CommandClient } from "./commands";
import { GroundStation } from "./ground-station";
import { MissionClient } from "./missions";
import { PilotCommands } from "./pilot";
import { VehicleRegistry } from "./registry";
import type { RegistryListeners } from "./registry";

export type VehiclesConfig = Pick<Config, "links" | "gcsSysid" | "gcsCompid" | "passive" | "signingKeys" | "maxVehicles" | "lostAfterMs">;

/** Calls into components built after the vehicles (alerts, realtime, the recorder); until then they drop. */
export type VehicleWiring = Required<Pick<RegistryListeners, "statusText" | "commandAck" | "link">>
  & Pick<AdmissionReportDeps, "alert" | "forget">;

export interface VehiclesBuildDeps {
  log: Logger;
  clock: () => number;
  audit: AuditLog;
  on: VehicleWiring;
  /**
   * Which configured links this server runs only while it holds them (several servers sharing a vehicle's link:
   * server/cluster's link leases open and close them). The others start with the server, as always.
   */
  shared?: (url: string) => boolean;
}

/** A link opened and closed while the server runs (one server of several holding it at a time). */
export interface SharedLink {
  id: string;
  url: string;
  /** Whether it is open here now. */
  open(): boolean;
  /** Opens it (a new connection) and puts it before the ground station. */
  start(): Promise<void>;
  /** Lets go of it: the ground station stops using it, and it is closed. */
  stop(): Promise<void>;
}

export interface VehicleParts {
  registry: VehicleRegistry;
  groundStation: GroundStation;
  /** The links started with the server. */
  links: MavLink[];
  /** The links held by one server of several at a time (none without `shared`). */
  shared: SharedLink[];
  pilot: PilotCommands;
  missionClient: MissionClient;
  /** Starts the links, then the ground station's heartbeat; resolves to what stops both (traffic stops first). */
  start(): Promise<() => Promise<void>>;
  /** Stops what building started: the refused-vehicles watch, pending commands and mission transfers. */
  stop(): void;
}

/** The vehicle registry fed by the ground station over every configured link, and the command clients. */
export function buildVehicles(config: VehiclesConfig, deps: VehiclesBuildDeps): VehicleParts {
  const { log, clock: now, on } = deps;
  // The registry reaches the ground station, built just after it, for the heartbeat of a new vehicle.
  let groundStation: GroundStation | null = null;
  const registry = new VehicleRegistry({ lostAfterMs: config.lostAfterMs, maxVehicles: config.maxVehicles }, {
    statusText: on.statusText,
    commandAck: on.commandAck,
    link: (event) => {
      log.warn({ vehicle: event.key, state: event.state, heartbeatAgeMs: event.heartbeatAgeMs }, `vehicle link ${event.state}`);
      on.link(event);
    },
    rejected: rejectedLog(log, now, config.maxVehicles),
    heartbeat: (key, _linkId, info) => {
      if (info.isNew) log.info({ vehicle: key }, "new vehicle");
      groundStation?.vehicleHeartbeat(key, info);
    },
  });
  const admission = admissionReport({ log: log.child({ part: "admission" }), audit: deps.audit, alert: on.alert, forget: on.forget });
  const gs = new GroundStation(registry, {
    sysid: config.gcsSysid,
    compid: config.gcsCompid,
    passive: config.passive,
    heartbeatIntervalMs: 1000,
    signingKeys: new Map(config.signingKeys.map((k) => [k.sysid, signingKey(k.secret)])),
    admission: { maxVehicles: config.maxVehicles, maxVehiclesPerLink: config.maxVehicles, lostAfterMs: config.lostAfterMs },
    admissionEvents: admission.events,
  }, log.child({ part: "gcs" }));
  groundStation = gs;
  if (config.signingKeys.length > 0) {
    // The system ids only: a secret is never logged.
    log.info({ sysids: config.signingKeys.map((k) => k.sysid) }, "MAVLink signing required for these vehicles");
  }
  const isShared = deps.shared ?? (() => false);
  // UDP sockets each read by a thread of their own: a busy event loop takes datagrams late, never loses them.
  const udpSocket = threadedUdpSockets((data) => startWorker("mavlink/links/udp-worker", data));
  const linkOptions = (id: string, url: string) => ({ id, logger: log.child({ part: "link", url }), udpSocket });
  const links = config.links.flatMap((url, i) => isShared(url) ? [] : [createLink(url, linkOptions(`link${i + 1}`, url))]);
  for (const link of links) gs.attach(link);
  const shared = config.links.flatMap((url, i) => isShared(url) ? [sharedLink(gs, url, linkOptions(`link${i + 1}`, url))] : []);
  // Unknown vehicles refused per link over the last minute, as an alert while it goes on.
  const refusedWatch = setInterval(() => admission.refused(gs.admission.refusedRecently(now()), now()), 5000);
  refusedWatch.unref();
  const commandDeps = { send: gs.sendOn.bind(gs), onMessage: gs.onMessage.bind(gs) };
  const commandClient = new CommandClient(commandDeps);
  // Mission messages the vehicles address to another ground station on the same link are not ours.
  const missionClient = new MissionClient(commandDeps, { gcs: { sysid: config.gcsSysid, compid: config.gcsCompid } });
  return {
    registry, groundStation: gs, links, shared, missionClient, pilot: new PilotCommands(commandClient),
    async start() {
      try {
        await Promise.all(links.map((link) => link.start()));
      } catch (err) {
        await Promise.allSettled(links.map((link) => link.close()));
        throw err;
      }
      gs.start();
      return async () => {
        gs.stop();
        await Promise.allSettled([...links.map((link) => link.close()), ...shared.map((link) => link.stop())]);
      };
    },
    stop() {
      clearInterval(refusedWatch);
      commandClient.close();
      missionClient.close();
    },
  };
}

function sharedLink(gs: GroundStation, url: string, options: LinkOptions & { id: string }): SharedLink {
  const id = options.id;
  let link: MavLink | null = null;
  let stopping: Promise<void> = Promise.resolve();
  return {
    id, url,
    open: () => link !== null,
    async start() {
      await stopping;
      if (link) return;
      const opened = createLink(url, options);
      gs.attach(opened);
      link = opened;
      try {
        await opened.start();
      } catch (err) {
        link = null;
        gs.detach(id);
        await opened.close().catch(() => undefined);
        throw err;
      }
    },
    stop() {
      const closing = link;
      link = null;
      if (!closing) return stopping;
      stopping = (async () => {
        await closing.close().catch((err: unknown) => options.logger.warn({ err, link: id }, "link did not close cleanly"));
        gs.detach(id);
      })();
      return stopping;
    },
  };
}

/** Logs a vehicle refused because the registry is full at most once a minute (forged ids come in floods). */
function rejectedLog(log: Logger, now: () => number, max: number): (key: VehicleKey) => void {
  let last = -Infinity;
  return (key) => {
    const t = now();
    if (t - last < 60_000) return;
    last = t;
    log.warn({ vehicle: key, max }, "too many vehicles: ignoring new system ids");
  };
}
