/**
 * An ArduCopter-like vehicle that behaves on the wire as the recordings show (see /work/shared/ardupilot.md):
 * silent but for HEARTBEAT until streams are asked for, the recorded boot timeline, arming refused with
 * "PreArm:" texts until ready, the flight modes a GCS uses, parameters, and injectable faults. Driven by
 * tick(now) on an injected clock; bytes in through receive(), out through onSend().
 */
import type { Logger } from "pino";
import { AutoFlyer } from "./autofly";
import { MAV_MISSION_TYPE, MissionServer } from "./mission";
import type { MissionItem } from "./mission";
import { MavlinkSigner, RawDecoder, RawEncoder, SignatureVerifier, messageId } from "../../server/mavlink";
import type { Frame, RawFields, RawMessage } from "../../server/mavlink";
import { fullBattery, stepBattery } from "./battery";
import { BootTimeline } from "./boot";
import { FlightController } from "./flight";
import type { FlightParams } from "./flight";
import { LinkFaults } from "./faults";
import type { FaultSpec } from "./faults";
import { movedBy, offsetMetres } from "./geo";
import { createMission } from "./mission-port";
import type { MissionHost, MissionPorts, NavTarget } from "./mission-port";
import { MODE } from "./modes";
import { ParamStore } from "./params";
import { initialPhysics, stepPhysics } from "./physics";
import type { Demand } from "./physics";
import { StatusTextQueue } from "./statustext";
import { StreamScheduler } from "./streams";
import { BUILDERS, heartbeatFields, homeFields, originFields } from "./telemetry";
import type { Home, VehicleView } from "./view";
import { snapshot } from "./snapshot";
import { handleGcsMessage } from "./handlers";
import { VehicleActions } from "./actions";
import { checkFailsafes, FailsafeState } from "./failsafes";

export interface Clock {
  now(): number;
}

export interface SimVehicleOptions {
  sysid: number;
  compid?: 1;
  home: Home;
  /** 1 = the recorded boot timings; 0.05 for tests. */
  bootTimeScale?: number;
  clock: Clock;
  logger: Logger;
  /** Builds the mission server + AUTO executor (default: sitl/sim/mission's); null: none, AUTO refused. */
  mission?: ((host: MissionHost) => MissionPorts) | null;
  /** Faults to inject, ms after start. */
  faults?: FaultSpec[];
  /** Seed of the corruption fault's random numbers. */
  seed?: number;
  /**
   * MAVLink 2 signing key (32 bytes), as set by SETUP_SIGNING on ArduPilot: everything sent is signed, and
   * whatever arrives without a good signature (unsigned, another key, replayed, stale) is ignored.
   */
  signingKey?: Buffer;
}

export const SEVERITY = { EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 } as const;
const TIMESYNC_INTERVAL_MS = 10_000;
/** Longest physics step: a late tick is simulated in slices so fast flight does not overshoot. */
const MAX_STEP_MS = 50;
export const REBOOT_SILENCE_MS = 2000;

export class SimVehicle {
  readonly sysid: number;
  readonly compid = 1;
  readonly params: ParamStore;
  readonly streams = new StreamScheduler();
  readonly boot: BootTimeline;
  readonly linkFaults: LinkFaults;
  readonly flight = new FlightController();
  readonly failsafe = new FailsafeState();
  readonly phys = initialPhysics();
  readonly battery = fullBattery();
  readonly mission: MissionPorts | null;
  readonly log: Logger;
  readonly actions: VehicleActions;
  /** Where the vehicle sits at power-on; it becomes home when the EKF origin is set. */
  readonly origin: Home;
  armed = false;
  mode: number = MODE.STABILIZE;
  /** Set once the GCS has sent anything since boot: STATUSTEXT waits for it. */
  gcsSeen = false;
  home: Home | null = null;
  /** LAND flying without a position estimate (ModeLand::do_not_use_GPS): it no longer controls XY. */
  landingWithoutGps = false;
  /** A mode changed: ArduPilot sends a HEARTBEAT at once (after the command's ack, before queued texts). */
  private heartbeatNow = false;
  landedSince: number | null = null;
  private encoder: RawEncoder;
  private readonly decoder = new RawDecoder();
  private readonly texts = new StatusTextQueue();
  private readonly sinks: ((bytes: Buffer) => void)[] = [];
  private readonly schedule: FaultSpec[];
  private bootStart: number;
  private lastTick: number;
  private nextTimesync = 0;
  private rebootAt: number | null = null;
  private readonly startedAt: number;
  private autoFlyer: AutoFlyer | null = null;
  /** Signing: kept across reboots, as ArduPilot keeps its key and last timestamp. */
  private readonly signer: MavlinkSigner | null;
  private readonly verifier: SignatureVerifier | null;

  constructor(private readonly opts: SimVehicleOptions) {
    this.sysid = opts.sysid;
    this.origin = { ...opts.home };
    this.log = opts.logger.child({ module: "sim-vehicle", sysid: opts.sysid });
    this.params = new ParamStore(opts.sysid);
    this.boot = new BootTimeline(opts.bootTimeScale ?? 1);
    this.linkFaults = new LinkFaults(opts.seed ?? opts.sysid);
    this.encoder = new RawEncoder({ sysid: opts.sysid, compid: 1 });
    const key = opts.signingKey;
    this.signer = key ? new MavlinkSigner({ key, linkId: 0 }) : null;
    this.verifier = key ? new SignatureVerifier({ keys: () => key, requireSigned: () => true }) : null;
    this.startedAt = opts.clock.now();
    this.bootStart = this.startedAt;
    this.lastTick = this.startedAt;
    this.schedule = [...(opts.faults ?? [])].sort((a, b) => a.at - b.at);
    this.actions = new VehicleActions(this);
    const host: MissionHost = {
      send: (name, fields) => this.send(name, fields),
      statusText: (severity, text) => this.statusText(severity, text),
      now: () => this.now(),
      home: () => this.home,
      storageReady: () => this.boot.has("ready"),
    };
    const build = opts.mission === undefined
      ? (h: MissionHost) => createMission(h, () => this.params.get("WPNAV_RADIUS", 200) / 100)
      : opts.mission;
    this.mission = build?.(host) ?? null;
  }

  now(): number {
    return this.opts.clock.now();
  }

  onSend(sink: (bytes: Buffer) => void): void {
    this.sinks.push(sink);
  }

  /** ms since the current boot. */
  timeBootMs(now = this.now()): number {
    return Math.max(0, Math.round(now - this.bootStart));
  }

  get rebooting(): boolean {
    return this.rebootAt !== null;
  }

  statusText(severity: number, text: string): void {
    this.texts.push(severity, text, this.now());
  }

  /** Encodes and sends one message (through the link faults). Nothing goes out while rebooting. */
  send(name: string, fields: RawFields = {}): void {
    if (this.rebootAt !== null) return;
    const now = this.now();
    const encoded = this.encoder.encode(name, fields);
    const bytes = this.linkFaults.apply(this.signer ? this.signer.sign(encoded) : encoded, now);
    if (bytes === null) return;
    for (const sink of this.sinks) sink(bytes);
  }

  receive(frame: Frame): void {
    if (this.rebootAt !== null) return;
    if (this.verifier && this.verifier.check(frame) !== "ok") return;
    let msg: RawMessage;
    try {
      msg = this.decoder.decode(frame);
    } catch {
      return; // a message of another dialect: ArduPilot ignores it too
    }
    const target = msg.fields.target_system;
    if (typeof target === "number" && target !== 0 && target !== this.sysid) return;
    this.gcsSeen = true;
    if (this.mission?.server.handle(msg)) {
      const type = msg.fields.mission_type;
      if (type === MAV_MISSION_TYPE.FENCE || type === MAV_MISSION_TYPE.ALL) this.reloadFence();
      this.flushTexts(this.now());
      return;
    }
    handleGcsMessage(this, msg);
    this.flushTexts(this.now());
  }

  /** Runs the simulation up to `now` and sends whatever is due. */
  tick(now = this.now()): void {
    this.runFaultSchedule(now);
    if (this.rebootAt !== null) {
      if (now < this.rebootAt) return;
      this.finishReboot(now);
    }
    let t = this.lastTick;
    while (now - t > 0) {
      const step = Math.min(MAX_STEP_MS, now - t);
      t += step;
      this.simulate(t, step / 1000);
    }
    this.lastTick = now;
    this.mission?.server.tick(now);
    this.advanceBoot(now);
    this.autoFlyer?.step(now);
    if (this.boot.has("heartbeat")) this.sendDue(now);
    this.flushTexts(now);
  }

  /**
   * Preloads `items` and flies them by itself once ready: GUIDED, arm, take off, AUTO, land, pause, again
   * (demos). A ground station can still take over: commands work as always.
   */
  autoFly(items: MissionItem[], opts: { repeat: boolean; pauseMs: number }): void {
    if (!this.mission) throw new Error("this vehicle was built without a mission");
    this.mission.server.load(items);
    this.autoFlyer = new AutoFlyer(this, items, opts);
  }

  /** Steps a virtual clock: tick every `stepMs` for `ms` (tests, fast-forward). `advance` moves the clock. */
  runFor(ms: number, stepMs: number, advance: (to: number) => void): void {
    const end = this.now() + ms;
    while (this.now() < end) {
      advance(Math.min(end, this.now() + stepMs));
      this.tick(this.now());
    }
  }

  flightParams(): FlightParams {
    const p = this.params;
    return {
      speed: p.get("WPNAV_SPEED", 1000) / 100, climb: p.get("WPNAV_SPEED_UP", 250) / 100,
      descent: p.get("WPNAV_SPEED_DN", 150) / 100, landSpeed: p.get("LAND_SPEED", 50) / 100,
      rtlAlt: p.get("RTL_ALT", 1500) / 100,
    };
  }

  position(): { lat: number; lon: number; altAmsl: number } {
    const p = movedBy(this.origin, this.phys.north, this.phys.east);
    return { ...p, altAmsl: this.origin.altAmsl + this.phys.up };
  }

  /** Metres north/east of the origin of a point. */
  local(lat: number, lon: number): { north: number; east: number } {
    return offsetMetres(this.origin, { lat, lon });
  }

  /** Every mode change, commanded or the vehicle's own (Copter::set_mode). */
  setMode(mode: number): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.landingWithoutGps = mode === MODE.LAND && !this.hasPosition();
    this.flight.enterMode(mode, this.phys);
    this.heartbeatNow = true;
    this.failsafe.fence.manualRecoveryStart(this, this.now());
  }

  /** The EKF failsafe in LAND: carry on down without the position estimate. */
  landWithoutGps(): void {
    this.landingWithoutGps = true;
  }

  /** The EKF has a horizontal position (modes that need one can be entered). */
  hasPosition(): boolean {
    return this.failsafe.ekf.hasPosition(this);
  }

  /** No GPS fix now (the gpsLoss fault). */
  get gpsLost(): boolean {
    return this.failsafe.ekf.gpsLost;
  }

  view(now = this.now()): VehicleView {
    return snapshot(this, now);
  }

  private simulate(now: number, dt: number): void {
    const demand = this.demand(now);
    const wasLanded = this.phys.landed;
    stepPhysics(this.phys, demand, dt);
    if (this.phys.landed && (!wasLanded || this.landedSince === null)) this.landedSince = now;
    if (!this.phys.landed) this.landedSince = null;
    stepBattery(this.battery, {
      armed: this.armed, landed: this.phys.landed, groundSpeed: Math.hypot(this.phys.vn, this.phys.ve),
      climb: this.phys.vu,
    }, this.params.get("BATT_CAPACITY", 5000), dt);
    checkFailsafes(this, now, dt * 1000);
  }

  private demand(now: number): Demand {
    if (!this.armed) return { kind: "idle" };
    if (this.mode === MODE.AUTO && this.mission) return this.autoDemand(now);
    return this.flight.demand(this.mode, this.phys, this.flightParams(), now);
  }

  private autoDemand(now: number): Demand {
    const pos = this.position();
    const target: NavTarget = this.mission!.executor.step({
      lat: pos.lat, lon: pos.lon, altRelative: this.phys.up, groundSpeed: Math.hypot(this.phys.vn, this.phys.ve),
      landed: this.phys.landed, armed: this.armed,
    }, now);
    return this.actions.autoTarget(target, now);
  }

  private advanceBoot(now: number): void {
    for (const { stage, texts } of this.boot.advance(now - this.bootStart)) {
      for (const text of texts) this.statusText(SEVERITY.INFO, text);
      if (stage === "origin") {
        this.home = this.home ?? { ...this.origin };
        const v = this.view(now);
        const home = homeFields(v);
        const origin = originFields(v);
        if (home) this.send("HOME_POSITION", home);
        if (origin) this.send("GPS_GLOBAL_ORIGIN", origin);
      }
    }
  }

  private sendDue(now: number): void {
    const due = this.streams.due(now);
    if (due.length === 0 && now < this.nextTimesync) return;
    const v = this.view(now);
    for (const msgid of due) {
      if (msgid === 0) {
        this.send("HEARTBEAT", heartbeatFields(v));
        continue;
      }
      const name = STREAM_NAMES.get(msgid);
      const fields = name ? BUILDERS.get(name)?.(v) : null;
      if (name && fields) this.send(name, fields);
    }
    if (now >= this.nextTimesync) {
      this.nextTimesync = now + TIMESYNC_INTERVAL_MS;
      this.send("TIMESYNC", { tc1: 0, ts1: Math.round(now * 1e6) });
    }
  }

  private flushTexts(now: number): void {
    if (this.heartbeatNow && this.boot.has("heartbeat")) this.send("HEARTBEAT", heartbeatFields(this.view(now)));
    this.heartbeatNow = false;
    for (const t of this.texts.take(now, this.gcsSeen)) this.send("STATUSTEXT", { severity: t.severity, text: t.text });
  }

  private runFaultSchedule(now: number): void {
    while (this.schedule.length > 0 && now - this.startedAt >= this.schedule[0]!.at) {
      this.actions.injectFault(this.schedule.shift()!, now);
    }
  }

  /** GPS fault: no fix for `durationMs` (Infinity = until restored with restoreGps). */
  loseGps(now: number, durationMs: number): void {
    this.failsafe.ekf.lose(now, durationMs);
  }

  restoreGps(now = this.now()): void {
    this.failsafe.ekf.restore(now);
  }

  /** The fence list as the mission server holds it (only the built-in one keeps fences). */
  private reloadFence(): void {
    const server = this.mission?.server;
    const items = server instanceof MissionServer ? server.items(MAV_MISSION_TYPE.FENCE) : [];
    this.failsafe.fence.load(items, (lat, lon) => this.local(lat, lon));
  }

  /** In AUTO, flying a land or the landing phase of an RTL item. */
  autoLanding(): boolean {
    return this.actions.autoLanding();
  }

  canSendNow(name: string): boolean {
    return name === "HEARTBEAT" || BUILDERS.has(name);
  }

  /** Sends one message of a stream at once (REQUEST_MESSAGE). */
  sendNow(name: string): void {
    const v = this.view();
    const fields = name === "HEARTBEAT" ? heartbeatFields(v) : BUILDERS.get(name)?.(v);
    if (fields) this.send(name, fields);
  }

  /** Goes silent and comes back as a freshly booted autopilot (mission and parameters kept). */
  reboot(now = this.now()): void {
    if (this.rebootAt !== null) return;
    this.log.info("rebooting");
    this.rebootAt = now + REBOOT_SILENCE_MS;
  }

  private finishReboot(now: number): void {
    this.rebootAt = null;
    this.encoder = new RawEncoder({ sysid: this.sysid, compid: 1 });
    this.streams.reset();
    for (const name of ["MAV1_RAW_SENS", "MAV1_EXT_STAT", "MAV1_RC_CHAN", "MAV1_RAW_CTRL", "MAV1_POSITION",
      "MAV1_EXTRA1", "MAV1_EXTRA2", "MAV1_EXTRA3"]) this.params.set(name, 0);
    this.boot.restart();
    this.texts.clear();
    this.bootStart = now;
    this.lastTick = now;
    this.nextTimesync = 0;
    this.gcsSeen = false;
    this.armed = false;
    this.mode = MODE.STABILIZE;
    this.home = null;
    this.landingWithoutGps = false;
    this.failsafe.reset();
    // A reboot in the air ends on the ground: put it down where it was.
    Object.assign(this.phys, { up: 0, vn: 0, ve: 0, vu: 0, roll: 0, pitch: 0, landed: true });
    this.flight.enterMode(this.mode, this.phys);
  }
}

const STREAM_NAMES: ReadonlyMap<number, string> = new Map([...BUILDERS.keys()].map((name) => [messageId(name), name]));
