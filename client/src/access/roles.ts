import type { Role, SessionUser, VehicleControl } from "../../../server/protocol";

export function hasRole(user: SessionUser | null, role: Role): boolean {
  return user !== null && user.roles.includes(role);
}

/** Which control buttons a vehicle card shows to this user. The server enforces the same rules. */
export interface VehicleControls {
  take: boolean;
  release: boolean;
  override: boolean;
  /** Send commands and upload/clear missions: the holder only. */
  command: boolean;
}

export const NO_CONTROLS: VehicleControls = { take: false, release: false, override: false, command: false };

/**
 * Observers (and reviewers) get no control at all; a pilot may take a free vehicle and release or command
 * the one they hold; an admin may release whoever holds it, and an admin who is also a pilot may take it over.
 */
export function controlsFor(user: SessionUser | null, control: VehicleControl | undefined): VehicleControls {
  if (!user) return NO_CONTROLS;
  const holder = control?.holder ?? null;
  const pilot = hasRole(user, "pilot");
  const mine = holder === user.name;
  const admin = hasRole(user, "admin");
  return {
    take: pilot && holder === null,
    release: mine || (admin && holder !== null),
    // Only a pilot can fly it: the server frees the vehicle instead when an admin without the role overrides.
    override: admin && pilot && holder !== null && !mine,
    command: pilot && mine,
  };
}

/** "Control: NAME" or "No pilot in control". */
export function describeHolder(control: VehicleControl | undefined): string {
  return control?.holder ? `Control: ${control.holder}` : "No pilot in control";
}
