import type { Logger } from "pino";
import { GROUND_STATION_KEY, fail, ok } from "../protocol";
import type {
  Alert, AlertClearReason, AlertRule, LinkEvent, Mission, Result, Severity, StatusText, VehicleCommand, VehicleEvent, VehicleKey,
  VehicleState,
} from "../protocol";
import type { AlertConfig } from "../config";
import type { JsonValue } from "../audit";
import type { AlertSink } from "./episode";
import { VehicleEventLog } from "./events";
import type { VehicleEventStore } from "./events";
import { FenceZones } from "./fence";
import type { CommandAck } from "./refusals";
import type { AckOutcome, AlertStore } from "./store";
import { alertWorthy } from "./texts";
import { DEFAULT_ALERT_TUNING } from "./tuning";
import type { AlertTuning } from "./tuning";
import { modesOfAcceptedCommand, modesOfCommand } from "./timeline";
import { VehicleAlerts } from "./vehicle";
import { AlertWriter } from "./writer";

/** What an acknowledgement writes to the audit log (server/audit's AuditLog satisfies this). */
export interface AlertAuditInput {
  actor: string;
  address: string;
  action: "alert_acknowledged";
  target: string;
  result: string;
  detail?: { [key: string]: JsonValue };
}

export interface AlertAudit {
  append(input: AlertAuditInput): Promise<unknown>;
}

export interface AlertEngineDeps {
  config: AlertConfig;
  /**
   * Where alerts are kept and their ids come from; null keeps them in memory only, with ids from `ids` (a replay:
   * a replayed flight's alerts are never written to the application's alert table, and cannot be acknowledged).
   */
  store: AlertStore | null;
  ids?: () => number;
  clock: () => number;
  /** Called with the whole alert whenever one is raised or changes; the same id is the same alert. */
  emit(alert: Alert): void;
  /** The fence known to be on the vehicle (uploaded or downloaded), or null. */
  fenceOf(key: VehicleKey): Mission["fence"] | null;
  audit: AlertAudit;
  log: Logger;
  tuning?: Partial<AlertTuning>;
  /** The vehicles' timeline events (mode changes, arming, mission complete): kept here and sent to the screens. */
  events?: VehicleEventStore;
  emitEvent?: (event: VehicleEvent) => void;
}

const LOG_EVERY_MS = 60_000;
/** Alerts kept for the snapshot beyond what it shows, before the oldest are let go (so trimming is not on every change). */
const KNOWN_SLACK = 200;

const needsAttention = (a: Alert) => a.clearedAt === null || a.acknowledgedAt === null;

/**
 * The server-side alert rules for every vehicle. Rules see vehicle states each tick, STATUSTEXTs and link events
 * as they come; each episode of a condition is one alert, stored (ids from SQLite, so they survive a restart),
 * emitted whole on every change, and acknowledged by a pilot (audited).
 */
/** Who a system alert is about, its rule and severity. */
export interface SystemAlert {
  key: VehicleKey;
  rule: AlertRule;
  severity: Severity;
}

export class AlertEngine {
  private readonly vehicles = new Map<VehicleKey, VehicleAlerts>();
  /** Alerts not yet cleared, by id: the rules update and clear these. */
  private readonly active = new Map<number, Alert>();
  /** The ground station's own active alerts, by topic. */
  private readonly systemAlerts = new Map<string, number>();
  private readonly tuning: AlertTuning;
  private readonly log: Logger;
  private readonly zones = new FenceZones();
  private readonly lastLog = new Map<string, number>();
  private readonly sink: AlertSink;
  private readonly events: VehicleEventLog;
  private readonly writer: AlertWriter | null;
  private lastLocalId = 0;
  /** Alerts seen since start (and the newest stored ones): what the snapshot on connect is taken from. */
  private readonly known = new Map<number, Alert>();

  constructor(private readonly deps: AlertEngineDeps) {
    this.tuning = { ...DEFAULT_ALERT_TUNING, ...deps.tuning };
    this.log = deps.log.child({ module: "alerts" });
    this.writer = deps.store ? new AlertWriter(deps.store, this.log, deps.clock) : null;
    this.events = new VehicleEventLog({
      ...(deps.events ? { store: deps.events } : {}), ...(deps.emitEvent ? { emit: deps.emitEvent } : {}),
      perMinute: this.tuning.eventsPerMinute, log: this.log, clock: deps.clock,
    });
    this.sink = {
      raise: (key, rule, severity, text, time) => this.raise(key, rule, severity, text, time),
      update: (id, change, time) => this.change(id, { ...change, updatedAt: time }),
      clear: (id, time, reason) => this.clear(id, time, reason),
    };
  }

  /** Before the rules run: closes what the last run left active, takes alert ids, reads the newest alerts and events. */
  async start(): Promise<void> {
    if (!this.deps.store || !this.writer) return;
    // Decided: an episode does not survive a restart (its holds, worst values and link state are in memory);
    // alerts active when the server stopped are closed as "restart" and the rules raise afresh what still holds.
    const closed = await this.deps.store.closeActive(this.deps.clock(), "restart");
    if (closed.length > 0) this.log.info({ count: closed.length }, "alerts active at the last stop closed as cleared at restart");
    await this.writer.start();
    for (const a of await this.deps.store.recent(this.tuning.recentAttention, this.tuning.recentOthers)) this.known.set(a.id, a);
    await this.events.load();
  }

  /** Writes what waits (alert states, timeline events). */
  async stop(): Promise<void> {
    await this.writer?.stop();
    await this.events.flush();
  }

  /** Resolves once every alert change and event so far was written or failed (tests, shutdown). */
  async flush(): Promise<void> {
    await this.writer?.flush();
    await this.events.flush();
  }

  /** Alert states and events that could not be written (the database was down or too slow). */
  get unwritten(): { alerts: number; alertsDropped: number; events: number } {
    return { alerts: this.writer?.backlog ?? 0, alertsDropped: this.writer?.dropped ?? 0, events: this.events.unwritten };
  }

  /** Every tick, with every vehicle. */
  evaluate(vehicles: readonly VehicleState[], time: number): void {
    for (const v of vehicles) {
      const fence = this.deps.fenceOf(v.key);
      const events = this.rulesOf(v.key).evaluate(v, fence === null ? [] : this.zones.of(fence), time, this.sink);
      for (const e of events) this.events.add(e);
    }
  }

  /** Every text of a vehicle: WARNING and worse become alerts; any may name the cause of a failsafe or a fence. */
  statusText(key: VehicleKey, status: StatusText): void {
    const rules = this.rulesOf(key);
    rules.statusText(status);
    if (!alertWorthy(status.severity)) return;
    const outcome = rules.texts.add(status, this.sink);
    if (outcome === "rate_limited" && this.shouldLog(`rate:${key}`, status.time)) {
      this.log.warn({ vehicle: key, perMinute: this.tuning.textAlertsPerMinute }, "too many vehicle messages: not all raised as alerts");
    }
  }

  link(event: LinkEvent): void {
    this.rulesOf(event.key).link.event(event, this.sink);
  }

  /** A vehicle's COMMAND_ACK: refusals are raised, whoever sent the command. */
  commandAck(ack: CommandAck): void {
    this.rulesOf(ack.key).refusals.add(ack, this.sink);
  }

  /**
   * A command from here is being sent to a vehicle: the mode change it asks for is the pilot's, not the vehicle
   * taking over, and it gives the vehicle back to the pilot after a failsafe.
   */
  commanded(key: VehicleKey, command: VehicleCommand, time: number): void {
    this.rulesOf(key).timeline.commanded(modesOfCommand(command), time);
  }

  /**
   * A replayed recording shows the vehicle accepted command `command` (MAV_CMD): the mode change it leads to is the
   * pilot's. Live, the command gate says what was sent instead (commanded), and this is not used.
   */
  commandAccepted(key: VehicleKey, command: number, time: number): void {
    this.rulesOf(key).timeline.commanded(modesOfAcceptedCommand(command), time);
  }

  /**
   * Acknowledged by a pilot: stored, audited, emitted. Acknowledging twice is not an error (two screens, one click
   * each, on one server or two): the first acknowledgement stands and is what both are answered.
   */
  async acknowledge(id: number, actor: { name: string; address: string }, time: number): Promise<Result<Alert>> {
    if (!Number.isSafeInteger(id) || id <= 0) return fail("bad_request", "an alert id is a positive whole number");
    const { store } = this.deps;
    if (!store || !this.writer) return fail("bad_request", "these alerts are not stored: they cannot be acknowledged");
    let outcome: AckOutcome;
    try {
      // The alert's row is written behind: it is there before it is acknowledged.
      await this.writer.flush();
      outcome = await store.acknowledge(id, actor.name, time);
    } catch (err) {
      this.log.error({ err, alert: id }, "alert acknowledgement not stored");
      return fail("storage_error", "the acknowledgement could not be stored");
    }
    if (outcome === "missing") {
      return this.active.has(id) || this.known.has(id)
        ? fail("storage_error", "the alert is not stored yet: try again in a moment")
        : fail("not_found", `there is no alert ${id}`);
    }
    if (outcome === "already") {
      const found = await this.storedOrNull(store, id) ?? this.active.get(id) ?? this.known.get(id);
      return found ? ok(found) : fail("storage_error", "alerts cannot be read now");
    }
    const base = this.active.get(id) ?? this.known.get(id) ?? await this.storedOrNull(store, id);
    if (base === null) return fail("storage_error", "alerts cannot be read now");
    try {
      await this.deps.audit.append({ actor: actor.name, address: actor.address, action: "alert_acknowledged", target: base.key,
        result: "ok", detail: { alert: id, rule: base.rule, severity: base.severity, text: base.text } });
    } catch (err) {
      // An acknowledgement nobody can account for is worse than none: undo it.
      this.log.error({ err, alert: id }, "alert acknowledgement not audited: undone");
      try {
        await store.unacknowledge(id, actor.name, time);
      } catch (undoErr) {
        this.log.error({ err: undoErr, alert: id }, "alert acknowledgement could not be undone");
      }
      return fail("audit_failed", "the acknowledgement could not be recorded in the audit log");
    }
    // The newest state (the rules may have changed it meanwhile), acknowledged.
    const next: Alert = { ...(this.active.get(id) ?? base), acknowledgedBy: actor.name, acknowledgedAt: time };
    if (this.active.has(id)) this.active.set(id, next);
    this.remember(next);
    this.deps.emit(next);
    return ok(next);
  }

  /**
   * Another server of the deployment stored an acknowledgement of this alert (and told every screen): this server's
   * copy says so too, so that its next change of it, and its snapshot, do not show it unacknowledged again.
   */
  acknowledgedElsewhere(id: number, by: string, at: number): void {
    const known = this.active.get(id) ?? this.known.get(id);
    if (!known || known.acknowledgedAt !== null) return;
    const next: Alert = { ...known, acknowledgedBy: by, acknowledgedAt: at };
    if (this.active.has(id)) this.active.set(id, next);
    this.remember(next);
  }

  private async storedOrNull(store: AlertStore, id: number): Promise<Alert | null> {
    try {
      return await store.get(id);
    } catch (err) {
      this.log.error({ err, alert: id }, "alert store unavailable");
      return null;
    }
  }

  /** For the snapshot on connect: the vehicles' newest timeline events, newest first. */
  recentEvents(): VehicleEvent[] {
    return this.events.latest();
  }

  /** For the snapshot on connect: alerts active or not acknowledged, then the newest others, newest first. */
  recent(): Alert[] {
    const attention: Alert[] = [];
    const others: Alert[] = [];
    for (const a of this.known.values()) (needsAttention(a) ? attention : others).push(a);
    const newestFirst = (a: Alert, b: Alert) => b.id - a.id;
    return [...attention.sort(newestFirst).slice(0, this.tuning.recentAttention), ...others.sort(newestFirst).slice(0, this.tuning.recentOthers)]
      .sort(newestFirst);
  }

  /** Keeps an alert's newest state for the snapshot; beyond what a snapshot shows (and some), the oldest go. */
  private remember(alert: Alert): void {
    this.known.set(alert.id, alert);
    const keep = this.tuning.recentAttention + this.tuning.recentOthers;
    if (this.known.size <= keep + KNOWN_SLACK) return;
    const kept = new Set(this.recent().map((a) => a.id));
    for (const a of this.active.values()) kept.add(a.id);
    for (const id of this.known.keys()) if (!kept.has(id)) this.known.delete(id);
  }

  /**
   * A problem the ground station finds itself (recording to disk, the series store, a second source sending as a
   * vehicle, unknown vehicles refused on a link): one alert per topic while it lasts, its text updated; `problem`
   * null ends it. Recording and series problems are the ground station's own; `about` names another subject.
   */
  system(topic: string, problem: string | null, time: number, about?: SystemAlert): void {
    const current = this.systemAlerts.get(topic);
    if (problem === null) {
      if (current === undefined) return;
      this.systemAlerts.delete(topic);
      this.clear(current, time, "ended");
      return;
    }
    if (current !== undefined) {
      if (this.active.get(current)?.text !== problem) this.change(current, { text: problem, updatedAt: time });
      return;
    }
    const { key, rule, severity } = about ?? {
      key: GROUND_STATION_KEY, rule: topic.startsWith("recording") ? "recording_failed" : "series_failed", severity: "critical",
    };
    const id = this.raise(key, rule, severity, problem, time);
    if (id !== null) this.systemAlerts.set(topic, id);
  }

  private rulesOf(key: VehicleKey): VehicleAlerts {
    let rules = this.vehicles.get(key);
    if (!rules) {
      rules = new VehicleAlerts(key, this.deps.config, this.tuning);
      this.vehicles.set(key, rules);
    }
    return rules;
  }

  private raise(key: VehicleKey, rule: AlertRule, severity: Severity, text: string, time: number): number | null {
    // Only STATUSTEXT and refusal alerts are many per vehicle; each condition rule has at most one alert per vehicle.
    if ((rule === "statustext" || rule === "command_refused") && this.activeCount(key) >= this.tuning.maxActivePerVehicle) {
      if (this.shouldLog(`cap:${key}`, time)) {
        this.log.warn({ vehicle: key, max: this.tuning.maxActivePerVehicle }, "too many active alerts: vehicle message not raised");
      }
      return null;
    }
    const id = this.writer ? this.writer.takeId() : this.deps.ids?.() ?? ++this.lastLocalId;
    if (id === null) {
      // No id at hand: the database has not answered for a while. The rule tries again next tick; one log line a minute.
      if (this.shouldLog("ids", time)) this.log.error({ vehicle: key, rule }, "no alert id at hand (database unavailable): not raised");
      return null;
    }
    const alert: Alert = { id, key, rule, severity, text, count: 1, raisedAt: time, updatedAt: time, clearedAt: null,
      clearReason: null, acknowledgedBy: null, acknowledgedAt: null };
    this.writer?.save(alert);
    this.active.set(alert.id, alert);
    this.remember(alert);
    this.log.info({ vehicle: key, alert: alert.id, rule, severity }, text);
    this.deps.emit(alert);
    return alert.id;
  }

  private change(id: number, change: Partial<Pick<Alert, "text" | "severity" | "count" | "updatedAt">>): void {
    const current = this.active.get(id);
    if (!current) return;
    this.write({ ...current, ...change });
  }

  private clear(id: number, time: number, reason: AlertClearReason): void {
    const current = this.active.get(id);
    if (!current) return;
    this.write({ ...current, clearedAt: time, clearReason: reason });
    this.log.info({ vehicle: current.key, alert: id, rule: current.rule, reason }, "alert cleared");
  }

  /** Emits, and stores behind (a store failure is logged and retried; the clients see the change at once). */
  private write(next: Alert): void {
    this.writer?.save(next);
    if (next.clearedAt === null) this.active.set(next.id, next);
    else this.active.delete(next.id);
    this.remember(next);
    this.deps.emit(next);
  }

  private activeCount(key: VehicleKey): number {
    let n = 0;
    for (const a of this.active.values()) if (a.key === key) n += 1;
    return n;
  }

  private shouldLog(topic: string, time: number): boolean {
    const last = this.lastLog.get(topic);
    if (last !== undefined && time - last < LOG_EVERY_MS) return false;
    this.lastLog.set(topic, time);
    return true;
  }
}
