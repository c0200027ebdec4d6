/** ArduCopter flight modes the simulator flies, and which of them arming and GPS loss care about. */
export const MODE = {
  STABILIZE: 0, ALT_HOLD: 2, AUTO: 3, GUIDED: 4, LOITER: 5, RTL: 6, LAND: 9, POSHOLD: 16, BRAKE: 17, SMART_RTL: 21,
} as const;

/** Modes a DO_SET_MODE may select here (SMART_RTL needs a recorded path we do not keep: refused). */
export const SUPPORTED_MODES: ReadonlySet<number> = new Set([0, 2, 3, 4, 5, 6, 9, 16, 17]);

/** Modes ArduCopter will not arm in (Mode::allows_arming false; AUTO without AUTO_OPTIONS arming bit). */
export const NOT_ARMABLE: ReadonlySet<number> = new Set([MODE.AUTO, MODE.RTL, MODE.LAND, MODE.SMART_RTL, MODE.BRAKE]);

/** Modes that need a position estimate (GPS): the EKF failsafe acts in these. */
export const NEEDS_POSITION: ReadonlySet<number> = new Set([
  MODE.AUTO, MODE.GUIDED, MODE.LOITER, MODE.RTL, MODE.POSHOLD, MODE.BRAKE, MODE.SMART_RTL,
]);
