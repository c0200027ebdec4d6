/**
 * A point-mass multicopter: enough to fly plausible tracks, speeds and attitudes, not an airframe model.
 * Position is kept in metres north/east of home and metres up from home (relative altitude), the frame ArduPilot
 * navigates in; horizontal and vertical speeds follow WPNAV-style limits with a bounded acceleration, and the
 * attitude is the tilt that acceleration (plus a drag term) needs.
 */
export interface PhysicsState {
  north: number;
  east: number;
  /** Metres above home (relative altitude). */
  up: number;
  vn: number;
  ve: number;
  /** Positive up. */
  vu: number;
  /** Degrees 0..360. */
  heading: number;
  roll: number;
  pitch: number;
  yawRate: number;
  landed: boolean;
}

/** What the flight controller asks of the airframe for one step. */
export type Demand =
  /** Motors off or idling on the ground. */
  | { kind: "idle" }
  /** Fly to a point (metres from home) and stop there. */
  | { kind: "goto"; north: number; east: number; up: number; speed: number; climb: number; descent: number }
  /** Hold horizontal position and descend at `rate` m/s until on the ground. */
  | { kind: "descend"; north: number; east: number; rate: number };

export const GRAVITY = 9.80665;
/** Horizontal acceleration limit, m/s² (WPNAV_ACCEL 250 cm/s²). */
export const HORIZONTAL_ACCEL = 2.5;
const VERTICAL_ACCEL = 2.5;
/** Drag-like tilt per m/s: the recording pitches ~0.5 rad at 9.4 m/s. */
const DRAG_PER_MS = 0.55;
const MAX_YAW_RATE_DEG = 90;

export function initialPhysics(): PhysicsState {
  return { north: 0, east: 0, up: 0, vn: 0, ve: 0, vu: 0, heading: 0, roll: 0, pitch: 0, yawRate: 0, landed: true };
}

/** The speed toward a target `dist` away that still lets us stop on it with acceleration `accel`. */
function approachSpeed(dist: number, limit: number, accel: number): number {
  return Math.min(limit, Math.sqrt(2 * accel * Math.max(0, dist)));
}

function towards(current: number, wanted: number, maxStep: number): number {
  const d = wanted - current;
  return Math.abs(d) <= maxStep ? wanted : current + Math.sign(d) * maxStep;
}

function wrap180(deg: number): number {
  return ((deg + 540) % 360) - 180;
}

/** Advances `s` by `dt` seconds under `demand`; returns the horizontal acceleration used (north, east). */
export function stepPhysics(s: PhysicsState, demand: Demand, dt: number): void {
  if (dt <= 0) return;
  let wantN = 0;
  let wantE = 0;
  let wantU = 0;
  if (demand.kind === "idle") {
    if (s.up <= 0) {
      Object.assign(s, { vn: 0, ve: 0, vu: 0, up: 0, roll: 0, pitch: 0, yawRate: 0, landed: true });
      return;
    }
    wantU = -GRAVITY; // motors off in the air: it falls (only after a crash-like disarm)
  } else {
    const dn = demand.north - s.north;
    const de = demand.east - s.east;
    const dist = Math.hypot(dn, de);
    const speed = demand.kind === "goto" ? approachSpeed(dist, demand.speed, HORIZONTAL_ACCEL) : Math.min(1, dist);
    if (dist > 0.01) {
      wantN = (dn / dist) * speed;
      wantE = (de / dist) * speed;
    }
    if (demand.kind === "goto") {
      const du = demand.up - s.up;
      wantU = du >= 0
        ? approachSpeed(du, demand.climb, VERTICAL_ACCEL)
        : -approachSpeed(-du, demand.descent, VERTICAL_ACCEL);
    } else {
      wantU = -demand.rate;
    }
  }
  const oldVn = s.vn;
  const oldVe = s.ve;
  // Accelerate toward the wanted velocity along the difference vector, bounded in magnitude.
  const dvn = wantN - s.vn;
  const dve = wantE - s.ve;
  const dv = Math.hypot(dvn, dve);
  const maxDv = HORIZONTAL_ACCEL * dt;
  const k = dv > maxDv ? maxDv / dv : 1;
  s.vn += dvn * k;
  s.ve += dve * k;
  s.vu = demand.kind === "idle" ? s.vu - GRAVITY * dt : towards(s.vu, wantU, VERTICAL_ACCEL * dt);
  // On the ground nothing moves sideways until the vehicle climbs off it.
  if (s.landed && s.vu <= 0) {
    s.vn = 0;
    s.ve = 0;
    s.vu = 0;
  }
  s.north += s.vn * dt;
  s.east += s.ve * dt;
  s.up += s.vu * dt;
  if (s.up <= 0) {
    s.up = 0;
    if (s.vu <= 0) {
      s.vu = 0;
      s.landed = true;
    }
  } else if (s.up > 0.05) {
    s.landed = false;
  }
  const an = (s.vn - oldVn) / dt;
  const ae = (s.ve - oldVe) / dt;
  attitudeFrom(s, an + DRAG_PER_MS * s.vn, ae + DRAG_PER_MS * s.ve, dt);
}

/** Tilt from the horizontal force needed, in the body frame; heading turns toward the velocity. */
function attitudeFrom(s: PhysicsState, fn: number, fe: number, dt: number): void {
  const speed = Math.hypot(s.vn, s.ve);
  const oldHeading = s.heading;
  if (speed > 1) {
    const wanted = (Math.atan2(s.ve, s.vn) * 180) / Math.PI;
    const turn = wrap180(wanted - s.heading);
    const step = Math.max(-MAX_YAW_RATE_DEG * dt, Math.min(MAX_YAW_RATE_DEG * dt, turn));
    s.heading = (s.heading + step + 360) % 360;
  }
  s.yawRate = ((wrap180(s.heading - oldHeading) * Math.PI) / 180) / dt;
  if (s.landed) {
    s.roll = 0;
    s.pitch = 0;
    return;
  }
  const h = (s.heading * Math.PI) / 180;
  const forward = fn * Math.cos(h) + fe * Math.sin(h);
  const right = -fn * Math.sin(h) + fe * Math.cos(h);
  s.pitch = -Math.atan(forward / GRAVITY);
  s.roll = Math.atan(right / GRAVITY);
}

export function groundSpeed(s: PhysicsState): number {
  return Math.hypot(s.vn, s.ve);
}
