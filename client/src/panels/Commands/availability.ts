import type { VehicleState } from "../../../../server/protocol";

/** Every control of the panel that can be enabled or not. */
export type CommandControl =
  | "arm" | "disarm" | "forceArm" | "forceDisarm" | "takeoff" | "land" | "rtl" | "brake" | "setMode" | "speed"
  | "goto" | "missionStart" | "missionPause" | "missionResume";

/** Whether a control can be used now; when not, the reason in words (shown as the button's title). */
export interface Availability {
  enabled: boolean;
  reason: string | null;
}

export type Availabilities = Record<CommandControl, Availability>;

const CONTROLS: readonly CommandControl[] = [
  "arm", "disarm", "forceArm", "forceDisarm", "takeoff", "land", "rtl", "brake", "setMode", "speed", "goto",
  "missionStart", "missionPause", "missionResume",
];

/** Above this height over home the vehicle counts as flying, whatever else it reports. */
export const AIRBORNE_ALT_M = 1;
/** Take-off (and go-to, when the height is unknown) default: clear of trees and roofs, far below the 120 m limit. */
export const DEFAULT_ALT_M = 20;
export const ALT_MIN_M = 1;
export const ALT_MAX_M = 120;
export const SPEED_MIN_MPS = 0.5;
export const SPEED_MAX_MPS = 30;

const FLYING_STATUS = new Set(["active", "critical", "emergency"]);

/**
 * Airborne when more than 1 m above home, or armed and "active": ArduCopter reports STANDBY while armed on the
 * ground (land_complete), so armed + active means in flight even where the altitude drifts near zero.
 */
export function isAirborne(v: Pick<VehicleState, "armed" | "position" | "systemStatus">): boolean {
  if ((v.position?.altRelative ?? 0) > AIRBORNE_ALT_M) return true;
  return v.armed && FLYING_STATUS.has(v.systemStatus);
}

/** Vehicles that take off and land; ground and sea vehicles do neither. */
export function fliesInAir(v: Pick<VehicleState, "vehicleClass">): boolean {
  return v.vehicleClass === "copter" || v.vehicleClass === "plane" || v.vehicleClass === "other";
}

const yes: Availability = { enabled: true, reason: null };
const no = (reason: string): Availability => ({ enabled: false, reason });

/** Why nothing at all can be sent, or null when commands may be sent (each button may still be off). */
export function panelBlock(v: VehicleState | null | undefined, canCommand: boolean): string | null {
  if (!v) return "This vehicle is not connected.";
  if (!canCommand) return `You do not hold control of ${v.key}: take control in the vehicle list to command it.`;
  return null;
}

function missionAvailability(v: VehicleState): Pick<Availabilities, "missionStart" | "missionPause" | "missionResume"> {
  const state = v.mission?.state ?? null;
  const noMission = state === "no_mission" ? "No mission on the vehicle" : null;
  const inAuto = v.mode === "AUTO";
  return {
    missionStart: noMission ? no(noMission) : !v.armed ? no("Arm first") : inAuto ? no("Already in AUTO") : yes,
    missionPause: inAuto ? yes : no("No mission running (not in AUTO)"),
    missionResume: noMission
      ? no(noMission)
      : !v.armed ? no("Not armed")
      : inAuto ? no("Mission already running")
      : state === "complete" ? no("Mission complete")
      : yes,
  };
}

/** What each control allows now, for this vehicle and this user. The server and the vehicle check again. */
export function availability(v: VehicleState | null | undefined, canCommand: boolean): Availabilities {
  const blocked = panelBlock(v, canCommand);
  if (blocked || !v) return Object.fromEntries(CONTROLS.map((c) => [c, no(blocked ?? "")])) as Availabilities;
  const air = fliesInAir(v);
  const airborne = isAirborne(v);
  const notArmed = v.armed ? null : "Not armed";
  return {
    arm: v.armed ? no("Already armed") : yes,
    disarm: v.armed ? yes : no("Already disarmed"),
    forceArm: v.armed ? no("Already armed") : yes,
    forceDisarm: v.armed ? yes : no("Already disarmed"),
    takeoff: v.vehicleClass !== "copter" ? no("Take off is for copters") : airborne ? no("Already flying") : yes,
    land: !air ? no("Only aircraft land") : notArmed ? no(notArmed) : yes,
    rtl: notArmed ? no(notArmed) : yes,
    brake: notArmed ? no(notArmed) : yes,
    setMode: yes,
    speed: yes,
    // A copter on the ground ignores a reposition: it must be flying; a rover only needs to be armed.
    goto: !v.position ? no("Position unknown") : notArmed ? no(notArmed) : air && !airborne ? no("Take off first") : yes,
    ...missionAvailability(v),
  };
}

/** A number typed by the pilot, within bounds, or the problem in words. */
export function parseBounded(text: string, min: number, max: number, unit: string): { value: number } | { error: string } {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    return { error: `Between ${min} and ${max} ${unit}` };
  }
  return { value };
}

export const parseAltitude = (text: string) => parseBounded(text, ALT_MIN_M, ALT_MAX_M, "m");
export const parseSpeed = (text: string) => parseBounded(text, SPEED_MIN_MPS, SPEED_MAX_MPS, "m/s");
