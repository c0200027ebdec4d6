/**
 * The GCS failsafe as ArduCopter runs it (events.cpp failsafe_gcs_check / failsafe_gcs_on_event): armed or not,
 * once a ground station with MAV_GCS_SYSID has been heard, no HEARTBEAT from it for FS_GCS_TIMEOUT seconds (5) with
 * FS_GCS_ENABLE set starts the failsafe: "GCS Failsafe" (WARNING, with the variants below), HEARTBEAT system_status
 * CRITICAL, and the FS_GCS_ENABLE action while flying; a heartbeat again says "GCS Failsafe Cleared". The mode
 * it switched to stays: the pilot has to take the vehicle back.
 */
import { doFailsafeAction, FS_ACTION, FS_OPTION, isAutopilotMode, isLanding, shouldDisarmOnFailsafe } from "./failsafe-action";
import { MODE } from "./modes";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./severity";

/** FS_GCS_ENABLE -> Failsafe_Action (2, "continue mission", is RTL now; 6 AUTO_RTL and 7 BRAKE are not modelled). */
function gcsAction(setting: number): number {
  switch (setting) {
    case 0: return FS_ACTION.NONE;
    case 3: return FS_ACTION.SMART_RTL;
    case 4: return FS_ACTION.SMART_RTL_LAND;
    case 5: return FS_ACTION.LAND;
    default: return FS_ACTION.RTL;
  }
}

export class GcsFailsafe {
  /** failsafe.gcs: HEARTBEAT system_status CRITICAL while on. */
  active = false;
  /** Last HEARTBEAT from the ground station (sysid MAV_GCS_SYSID); null until one is heard. */
  private lastSeen: number | null = null;

  reset(): void {
    this.active = false;
    this.lastSeen = null;
  }

  heard(now: number): void {
    this.lastSeen = now;
  }

  check(v: SimVehicle, now: number): void {
    const setting = v.params.get("FS_GCS_ENABLE", 0);
    if (setting === 0 || this.lastSeen === null) return;
    const silentMs = now - this.lastSeen;
    const timeoutMs = v.params.get("FS_GCS_TIMEOUT", 5) * 1000;
    if (silentMs < timeoutMs && this.active) {
      this.active = false;
      v.statusText(SEVERITY.WARNING, "GCS Failsafe Cleared");
    } else if (silentMs > timeoutMs && !this.active) {
      this.active = true;
      onEvent(v, gcsAction(setting));
    }
  }
}

/** failsafe_gcs_on_event: which text, and whether the action is taken. */
function onEvent(v: SimVehicle, action: number): void {
  const options = v.params.get("FS_OPTIONS", 16);
  const say = (text: string): void => v.statusText(SEVERITY.WARNING, text);
  let desired = action;
  if (!v.armed) {
    desired = FS_ACTION.NONE;
    say("GCS Failsafe");
  } else if (shouldDisarmOnFailsafe(v)) {
    v.actions.doDisarm();
    desired = FS_ACTION.NONE;
    say("GCS Failsafe - Disarming");
  } else if (isLanding(v) && v.failsafe.battery.triggered) {
    desired = FS_ACTION.LAND;
    say("GCS + Battery Failsafe - Continuing Landing");
  } else if (isLanding(v) && (options & FS_OPTION.CONTINUE_IF_LANDING) !== 0) {
    desired = FS_ACTION.LAND;
    say("GCS Failsafe - Continuing Landing");
  } else if (v.mode === MODE.AUTO && (options & FS_OPTION.GCS_CONTINUE_IF_AUTO) !== 0) {
    desired = FS_ACTION.NONE;
    say("GCS Failsafe - Continuing Auto Mode");
  } else if ((options & FS_OPTION.GCS_CONTINUE_IF_PILOT_CONTROL) !== 0 && !isAutopilotMode(v.mode)) {
    desired = FS_ACTION.NONE;
    say("GCS Failsafe - Continuing Pilot Control");
  } else {
    say("GCS Failsafe");
  }
  doFailsafeAction(v, desired);
}
