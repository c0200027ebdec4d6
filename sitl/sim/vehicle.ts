/**
 * An ArduCopter-like vehicle that behaves on the wire as the recordings show (see /work/shared/ardupilot.md):
 * silent but for HEARTBEAT until streams are asked for, the recorded boot timeline, arming refused with
 * "PreArm:" texts until ready, the flight modes a GCS uses, parameters, and injectable faults. Driven by
 * tick(now) on an injected clock; bytes in through receive(), out through onSend().
 *
 * This file holds the vehicle's state and the order of each tick; the link (vehicle-link), what it sends unasked
 * (vehicle-output), the simulated flight (vehicle-step), boot/reboot (vehicle-boot) and its mission server
 * (vehicle-mission) live beside it.
 */
import type { Logger } from "pino";
import { AutoFlyer } from "./autofly";
import type { MissionItem } from "./mission";
import type { Frame, RawFields } from "../../server/mavlink";
import { fullBattery } from "./battery";
import { BootTimeline } from "./boot";
import { FlightController } from "./flight";
import type { FlightParams } from "./flight";
import { LinkFaults } from "./faults";
import type { FaultSpec } from "./faults";
import { movedBy, offsetMetres } from "./geo";
import type { MissionPorts } from "./mission-port";
import { MODE } from "./modes";
import { ParamStore } from "./params";
import { initialPhysics } from "./physics";
import { StreamScheduler } from "./streams";
import type { Home, VehicleView } from "./view";
import { snapshot } from "./snapshot";
import { handleGcsMessage } from "./handlers";
import { VehicleActions } from "./actions";
import { SimCamera, poseOf } from "./camera";
import { FailsafeState } from "./failsafes";
import type { SimVehicleOptions } from "./vehicle-options";
import { VehicleLink } from "./vehicle-link";
import { VehicleOutput } from "./vehicle-output";
import { simulateSpan } from "./vehicle-step";
import { advanceBoot, REBOOT_SILENCE_MS, resetForBoot } from "./vehicle-boot";
import { buildMission, fenceItems, touchesFence } from "./vehicle-mission";

// Importers find these here, where they always were.
export type { Clock, SimVehicleOptions } from "./vehicle-options";
export { SEVERITY } from "./severity";
export { REBOOT_SILENCE_MS } from "./vehicle-boot";

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
  landedSince: number | null = null;
  private readonly link: VehicleLink;
  private readonly output = new VehicleOutput(this);
  /** AP_Camera: photos (CAMERA_FEEDBACK), video capture and its status; it only calls back once ticked. */
  readonly camera: SimCamera = new SimCamera({ now: () => this.now(), pose: (t) => poseOf(this.view(t)), send: (n, f) => this.send(n, f) });
  private readonly schedule: FaultSpec[];
  private bootStart: number;
  private lastTick: number;
  private rebootAt: number | null = null;
  private readonly startedAt: number;
  private autoFlyer: AutoFlyer | null = null;

  constructor(private readonly opts: SimVehicleOptions) {
    this.sysid = opts.sysid;
    this.origin = { ...opts.home };
    this.log = opts.logger.child({ module: "sim-vehicle", sysid: opts.sysid });
    this.params = new ParamStore(opts.sysid);
    this.boot = new BootTimeline(opts.bootTimeScale ?? 1);
    this.linkFaults = new LinkFaults(opts.seed ?? opts.sysid);
    this.link = new VehicleLink(opts.sysid, this.linkFaults, opts.signingKey);
    this.startedAt = opts.clock.now();
    this.bootStart = this.startedAt;
    this.lastTick = this.startedAt;
    this.schedule = [...(opts.faults ?? [])].sort((a, b) => a.at - b.at);
    this.actions = new VehicleActions(this);
    this.mission = buildMission(this, opts.mission);
  }

  now(): number {
    return this.opts.clock.now();
  }

  onSend(sink: (bytes: Buffer) => void): void {
    this.link.onSend(sink);
  }

  /** ms since the current boot. */
  timeBootMs(now = this.now()): number {
    return Math.max(0, Math.round(now - this.bootStart));
  }

  get rebooting(): boolean {
    return this.rebootAt !== null;
  }

  statusText(severity: number, text: string): void {
    this.output.statusText(severity, text, this.now());
  }

  /** Encodes and sends one message (through the link faults). Nothing goes out while rebooting. */
  send(name: string, fields: RawFields = {}): void {
    if (this.rebootAt !== null) return;
    this.link.send(name, fields, this.now());
  }

  receive(frame: Frame): void {
    if (this.rebootAt !== null) return;
    const msg = this.link.receive(frame);
    if (msg === null) return;
    this.gcsSeen = true;
    if (this.mission?.server.handle(msg)) {
      if (touchesFence(msg.fields.mission_type)) this.reloadFence();
      this.output.flush(this.now());
      return;
    }
    handleGcsMessage(this, msg);
    this.output.flush(this.now());
  }

  /** Runs the simulation up to `now` and sends whatever is due. */
  tick(now = this.now()): void {
    this.runFaultSchedule(now);
    if (this.rebootAt !== null) {
      if (now < this.rebootAt) return;
      this.finishReboot(now);
    }
    simulateSpan(this, this.lastTick, now);
    this.lastTick = now;
    this.mission?.server.tick(now);
    advanceBoot(this, now, now - this.bootStart);
    this.autoFlyer?.step(now);
    if (this.boot.has("heartbeat")) this.output.sendDue(now);
    this.camera.tick(now);
    this.output.flush(now);
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
    // ArduPilot sends a HEARTBEAT at once (after the command's ack, before queued texts).
    this.output.heartbeatSoon();
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

  private reloadFence(): void {
    this.failsafe.fence.load(fenceItems(this.mission), (lat, lon) => this.local(lat, lon));
  }

  /** In AUTO, flying a land or the landing phase of an RTL item. */
  autoLanding(): boolean {
    return this.actions.autoLanding();
  }

  canSendNow(name: string): boolean {
    return this.output.canSendNow(name);
  }

  /** Sends one message of a stream at once (REQUEST_MESSAGE). */
  sendNow(name: string): void {
    this.output.sendNow(name);
  }

  /** Goes silent and comes back as a freshly booted autopilot (mission and parameters kept). */
  reboot(now = this.now()): void {
    if (this.rebootAt !== null) return;
    this.log.info("rebooting");
    this.rebootAt = now + REBOOT_SILENCE_MS;
  }

  private finishReboot(now: number): void {
    this.rebootAt = null;
    this.link.restart();
    this.output.reset();
    this.bootStart = now;
    this.lastTick = now;
    resetForBoot(this);
  }
}
