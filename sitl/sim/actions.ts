/**
 * The vehicle's answers to commands (arm, modes, takeoff, reposition, intervals, REQUEST_MESSAGE), with the
 * refusals ArduCopter gives, plus AUTO's mapping of mission targets to flight and the fault injector.
 */
import { messageName } from "../../server/mavlink";
import { drainTo } from "./battery";
import { RESULT } from "./commands";
import type { CommandOutcome, CommandTarget } from "./commands";
import type { FaultSpec } from "./faults";
import type { NavTarget } from "./mission-port";
import { MODE, NEEDS_POSITION, NOT_ARMABLE, SUPPORTED_MODES } from "./modes";
import type { Demand } from "./physics";
import { homeFields } from "./telemetry";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./severity";

/** 4.7.0-dev: major << 24 | minor << 16 | patch << 8 | FIRMWARE_VERSION_TYPE_DEV (0). */
const FLIGHT_SW_VERSION = 0x04070000;
/** MAV_PROTOCOL_CAPABILITY as ArduPilot reports it. */
const CAPABILITIES = [
  2, // PARAM_FLOAT
  4, // MISSION_INT
  8, // COMMAND_INT
  32, // FTP
  64, // SET_ATTITUDE_TARGET
  128, // SET_POSITION_TARGET_LOCAL_NED
  256, // SET_POSITION_TARGET_GLOBAL_INT
  512, // TERRAIN
  2048, // FLIGHT_TERMINATION
  4096, // COMPASS_CALIBRATION
  8192, // MAVLINK2
  16384, // MISSION_FENCE
  32768, // MISSION_RALLY
].reduce((a, b) => a + b, 0);
const HOME_POSITION_ID = 242;
const AUTOPILOT_VERSION_ID = 148;
const DEFAULT_BATTERY_FAULT_REMAINING = 0.15;
const VELOCITY_LEAD_S = 3;

export class VehicleActions implements CommandTarget {
  /** AUTO: the kind of the last target, to start RTL's phases when an RTL item begins. */
  private lastAutoKind: NavTarget["kind"] | null = null;

  constructor(private readonly v: SimVehicle) {}

  arm(force: boolean): number {
    const v = this.v;
    if (v.armed) return RESULT.ACCEPTED;
    const refuse = (...texts: string[]): number => {
      for (const text of texts) v.statusText(SEVERITY.CRITICAL, text);
      return RESULT.FAILED;
    };
    if (NOT_ARMABLE.has(v.mode)) return refuse("Arm: Mode not armable");
    if (!force) {
      const blocker = v.boot.armBlocker();
      if (blocker) return refuse(blocker);
      // Every failing check speaks, as ArduPilot's pre-arm checks do (battery_failsafe_land after landing).
      const failing = [...v.failsafe.battery.armBlockers(v), ...v.failsafe.fence.armBlockers()];
      if (failing.length > 0) return refuse(...failing);
      if (!v.hasPosition() && NEEDS_POSITION.has(v.mode)) return refuse("PreArm: Need Position Estimate");
    }
    v.armed = true;
    v.landedSince = v.now();
    v.flight.enterMode(v.mode, v.phys);
    v.statusText(SEVERITY.INFO, "Arming motors");
    // ArduPilot moves home to where it arms and says so with a new HOME_POSITION.
    if (v.home) {
      v.home = v.position();
      const fields = homeFields(v.view());
      if (fields) v.send("HOME_POSITION", fields);
    }
    return RESULT.ACCEPTED;
  }

  disarm(force: boolean): number {
    const v = this.v;
    if (!v.armed) return RESULT.ACCEPTED;
    if (!force && !v.phys.landed) return RESULT.FAILED;
    this.doDisarm();
    return RESULT.ACCEPTED;
  }

  doDisarm(): void {
    const v = this.v;
    v.armed = false;
    v.statusText(SEVERITY.INFO, "Disarming motors");
  }

  setMode(mode: number): number {
    const v = this.v;
    if (!SUPPORTED_MODES.has(mode)) return RESULT.FAILED;
    if (mode === v.mode) return RESULT.ACCEPTED;
    if (NEEDS_POSITION.has(mode) && !v.hasPosition() && mode !== MODE.BRAKE) {
      v.statusText(SEVERITY.WARNING, `Mode change to ${modeLabel(mode)} failed: requires position`);
      return RESULT.FAILED;
    }
    if (mode === MODE.AUTO) {
      if (!v.mission || !v.mission.executor.start()) {
        v.statusText(SEVERITY.WARNING, "Mode change to AUTO failed: init failed");
        return RESULT.FAILED;
      }
      this.lastAutoKind = null;
    }
    v.setMode(mode);
    return RESULT.ACCEPTED;
  }

  takeoff(altRelative: number): number {
    const v = this.v;
    // do_user_takeoff: armed, on the ground, in a mode that takes off (GUIDED here), positive altitude.
    if (!v.armed || !v.phys.landed || v.mode !== MODE.GUIDED || !(altRelative > 0)) return RESULT.FAILED;
    v.flight.target = { north: v.phys.north, east: v.phys.east, up: altRelative };
    return RESULT.ACCEPTED;
  }

  reposition(lat: number, lon: number, altRelative: number | null): number {
    const v = this.v;
    if (v.mode !== MODE.GUIDED) return RESULT.DENIED;
    if (!v.armed || v.phys.landed) return RESULT.FAILED;
    const up = altRelative === null || altRelative === 0 ? v.phys.up : altRelative;
    // ArduCopter refuses a destination outside an enabled fence (fence_polygon_breach: DO_REPOSITION FAILED).
    if (!v.failsafe.fence.allows(v, { ...v.local(lat, lon), up })) return RESULT.FAILED;
    this.guidedTo(lat, lon, up);
    return RESULT.ACCEPTED;
  }

  /** GUIDED position target (ignored in other modes or on the ground, as ArduCopter does). */
  guidedTo(lat: number, lon: number, altRelative: number): void {
    const v = this.v;
    if (v.mode !== MODE.GUIDED || !v.armed || v.phys.landed) return;
    const { north, east } = v.local(lat, lon);
    if (!v.failsafe.fence.allows(v, { north, east, up: altRelative })) return;
    v.flight.target = { north, east, up: altRelative };
  }

  /**
   * GUIDED velocity (m/s, NED): flown as a target 3 s ahead at that speed, so the vehicle stops about when
   * ArduCopter's 3 s GUIDED velocity timeout would stop it. Velocity targets are not checked against the fence
   * (fence_polygon_breach flew out of the fence this way).
   */
  guidedVelocity(vn: number, ve: number, vd: number): void {
    const v = this.v;
    if (v.mode !== MODE.GUIDED || !v.armed || v.phys.landed) return;
    const p = v.phys;
    v.flight.target = { north: p.north + vn * VELOCITY_LEAD_S, east: p.east + ve * VELOCITY_LEAD_S, up: p.up - vd * VELOCITY_LEAD_S };
    v.flight.speedOverride = Math.hypot(vn, ve);
  }

  changeSpeed(speed: number): number {
    if (!(speed > 0)) return RESULT.FAILED;
    this.v.flight.speedOverride = speed;
    return RESULT.ACCEPTED;
  }

  setMissionCurrent(seq: number): number {
    if (!this.v.mission) return RESULT.FAILED;
    return this.v.mission.executor.setCurrent(seq) ? RESULT.ACCEPTED : RESULT.FAILED;
  }

  missionStart(): number {
    return this.setMode(MODE.AUTO);
  }

  reboot(): number {
    this.v.reboot();
    return RESULT.ACCEPTED;
  }

  setMessageInterval(msgid: number, intervalUs: number): number {
    if (this.v.streams.setInterval(msgid, intervalUs)) return RESULT.ACCEPTED;
    // GCS_MAVLINK::set_message_interval for an id it has no ap_message for.
    this.v.statusText(SEVERITY.INFO, `No ap_message for mavlink id (${msgid})`);
    return RESULT.DENIED;
  }

  sendMessageInterval(msgid: number): void {
    this.v.send("MESSAGE_INTERVAL", { message_id: msgid, interval_us: this.v.streams.intervalUs(msgid) });
  }

  requestMessage(msgid: number): CommandOutcome {
    const v = this.v;
    if (msgid === HOME_POSITION_ID) {
      const fields = homeFields(v.view());
      if (!fields) return { result: RESULT.FAILED };
      return { result: RESULT.ACCEPTED, after: () => v.send("HOME_POSITION", fields) };
    }
    if (msgid === AUTOPILOT_VERSION_ID) {
      return {
        result: RESULT.ACCEPTED,
        after: () => v.send("AUTOPILOT_VERSION", {
          capabilities: CAPABILITIES, flight_sw_version: FLIGHT_SW_VERSION, middleware_sw_version: 0,
          os_sw_version: 0, board_version: 0, vendor_id: 0, product_id: 0, uid: v.sysid,
        }),
      };
    }
    const name = messageName(msgid);
    if (name && v.canSendNow(name)) return { result: RESULT.ACCEPTED, after: () => v.sendNow(name) };
    return { result: RESULT.FAILED };
  }

  /** AUTO: what to fly for the executor's target. RTL items fly RTL's phases while the mode stays AUTO. */
  autoTarget(target: NavTarget, now: number): Demand {
    const v = this.v;
    const p = v.flightParams();
    const speed = v.mission?.executor.speedOverride ?? p.speed;
    const started = target.kind !== this.lastAutoKind;
    this.lastAutoKind = target.kind;
    switch (target.kind) {
      case "takeoff":
        if (started) v.flight.target = { north: v.phys.north, east: v.phys.east, up: target.altRelative };
        return v.flight.gotoDemand(v.phys, { ...p, speed });
      case "goto":
      case "loiter": {
        const { north, east } = v.local(target.lat, target.lon);
        v.flight.target = { north, east, up: target.altRelative };
        return v.flight.gotoDemand(v.phys, { ...p, speed });
      }
      case "land": {
        if (started) {
          const here = target.lat === 0 && target.lon === 0 ? v.phys : { ...v.local(target.lat, target.lon) };
          v.flight.target = { north: here.north, east: here.east, up: v.phys.up };
        }
        // Fly over the point first, then descend.
        const t = v.flight.target!;
        if (Math.hypot(t.north - v.phys.north, t.east - v.phys.east) > 1) return v.flight.gotoDemand(v.phys, { ...p, speed });
        return v.flight.landDemand(v.phys, p);
      }
      case "rtl":
        if (started) v.flight.enterMode(MODE.RTL, v.phys);
        return v.flight.rtlDemand(v.phys, { ...p, speed }, now);
      case "done":
        if (started) v.flight.hold(v.phys);
        return v.flight.gotoDemand(v.phys, p);
    }
  }

  autoLanding(): boolean {
    return this.lastAutoKind === "land" || (this.lastAutoKind === "rtl" && this.v.flight.rtlPhase === "land");
  }

  injectFault(spec: FaultSpec, now: number): void {
    const v = this.v;
    v.log.info({ fault: spec }, "injecting fault");
    switch (spec.fault) {
      case "silence":
        v.linkFaults.silence(now, spec.durationMs ?? 5000);
        return;
      case "corrupt":
        v.linkFaults.corrupt(now, spec.rate ?? 0.1, spec.durationMs ?? Infinity);
        return;
      case "gpsLoss":
        v.loseGps(now, spec.durationMs ?? Infinity);
        return;
      case "battery":
        drainTo(v.battery, spec.rate ?? DEFAULT_BATTERY_FAULT_REMAINING, v.params.get("BATT_CAPACITY", 5000));
        return;
      case "reboot":
        v.reboot(now);
        return;
    }
  }
}

function modeLabel(mode: number): string {
  const names: Record<number, string> = { 3: "AUTO", 4: "GUIDED", 5: "LOITER", 6: "RTL", 16: "POSHOLD", 17: "BRAKE" };
  return names[mode] ?? String(mode);
}
