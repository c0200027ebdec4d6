/**
 * How ArduCopter changes its own mode when a failsafe or the fence acts (ArduCopter/events.cpp do_failsafe_action,
 * set_mode_RTL_or_land_with_pause, set_mode_SmartRTL_or_*): it tries the wanted mode and falls back to LAND when
 * that mode cannot be entered now (RTL and SmartRTL need a position estimate). A mode change the vehicle makes by
 * itself is a mode change like any other on the wire: the next HEARTBEAT's custom_mode shows it, nothing else.
 */
import { MODE, NEEDS_POSITION, SUPPORTED_MODES } from "./modes";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./severity";

/** Failsafe_Action as BATT_FS_LOW_ACT / BATT_FS_CRT_ACT number it. */
export const FS_ACTION = { NONE: 0, LAND: 1, RTL: 2, SMART_RTL: 3, SMART_RTL_LAND: 4, TERMINATE: 5 } as const;

/** FS_OPTIONS bits the simulator honours. */
export const FS_OPTION = { GCS_CONTINUE_IF_AUTO: 2, CONTINUE_IF_LANDING: 8, GCS_CONTINUE_IF_PILOT_CONTROL: 16 } as const;

/** Modes in which the autopilot, not the pilot, flies (Mode::is_autopilot). */
const AUTOPILOT_MODES: ReadonlySet<number> = new Set([MODE.AUTO, MODE.GUIDED, MODE.RTL, MODE.LAND, MODE.SMART_RTL]);

export function isAutopilotMode(mode: number): boolean {
  return AUTOPILOT_MODES.has(mode);
}

/** set_mode() for a change the vehicle makes itself; false when the mode cannot be entered now. */
export function tryMode(v: SimVehicle, mode: number): boolean {
  // SMART_RTL is not simulated (no breadcrumb path): it fails as it does on a vehicle without a usable path.
  if (!SUPPORTED_MODES.has(mode)) return false;
  if (NEEDS_POSITION.has(mode) && !v.hasPosition()) return false;
  v.setMode(mode);
  return true;
}

/** Copter::should_disarm_on_failsafe: on the ground a failsafe disarms instead of flying anywhere. */
export function shouldDisarmOnFailsafe(v: SimVehicle): boolean {
  return v.phys.landed;
}

/** Is the current mode one that ends on the ground (Mode::is_landing)? */
export function isLanding(v: SimVehicle): boolean {
  return v.flight.landing(v.mode) || (v.mode === MODE.AUTO && v.autoLanding());
}

export function doFailsafeAction(v: SimVehicle, action: number): void {
  switch (action) {
    case FS_ACTION.LAND:
      v.setMode(MODE.LAND);
      return;
    case FS_ACTION.RTL:
      if (!tryMode(v, MODE.RTL)) v.setMode(MODE.LAND);
      return;
    case FS_ACTION.SMART_RTL:
      if (tryMode(v, MODE.SMART_RTL)) return;
      v.statusText(SEVERITY.WARNING, "SmartRTL Unavailable, Trying RTL Mode");
      if (!tryMode(v, MODE.RTL)) v.setMode(MODE.LAND);
      return;
    case FS_ACTION.SMART_RTL_LAND:
      if (tryMode(v, MODE.SMART_RTL)) return;
      v.statusText(SEVERITY.WARNING, "SmartRTL Unavailable, Using Land Mode");
      v.setMode(MODE.LAND);
      return;
    case FS_ACTION.TERMINATE:
      v.actions.doDisarm();
      return;
    default:
      return;
  }
}
