/**
 * What each generated vehicle does during the recording, as a deterministic timeline: power-on sessions (one
 * battery each), and in a session at most one flight of ArduCopter's AUTO mission shape — arm, spool up, climb
 * to the mission altitude, fly the waypoints, RTL: fly home, descend (fast down to 10 m, then LAND_SPEED), sit
 * on the ground, disarm. Between flights the vehicle is powered off for a battery swap, so it reboots.
 * Times are seconds since the start of the recording.
 */
import type { LatLon } from "../sim/geo";
import { movedBy } from "../sim/geo";

/** ArduCopter's custom modes used here (COPTER_MODES). */
export const MODE = { AUTO: 3, LOITER: 5, RTL: 6 } as const;
export type ModeNumber = (typeof MODE)[keyof typeof MODE];

/** Position relative to home: metres north, east, up. */
export interface Ned {
  n: number;
  e: number;
  u: number;
}

/** A straight move at constant velocity from `from` to `to` during [t0, t1]. */
export interface Leg {
  t0: number;
  t1: number;
  from: Ned;
  to: Ned;
  mode: ModeNumber;
  /** Compass heading the nose points to, degrees. */
  yawDeg: number;
  /** Mission item this leg flies to (1-based), or 0 outside the mission (take-off climb, RTL, landing). */
  wp: number;
}

export interface FlightPlan {
  /** Arming and disarming, both on the vehicle's 1 Hz heartbeat grid so the recording shows them exactly. */
  armT: number;
  disarmT: number;
  legs: Leg[];
  cruiseAltM: number;
  speedMs: number;
  /** Waypoints relative to home (metres north/east), in flying order. */
  waypoints: { n: number; e: number }[];
  /** Horizontal path length, metres: what the flight's distance flown should come to. */
  pathM: number;
  /** Farthest waypoint from home, metres. */
  maxDistHomeM: number;
}

export interface PowerSession {
  bootT: number;
  /** Power off (battery swap), or the end of the recording. */
  offT: number;
  flight: FlightPlan | null;
}

export interface VehiclePlan {
  sysid: number;
  compid: number;
  home: LatLon;
  /** Metres above mean sea level of the take-off spot. */
  homeAltM: number;
  sessions: PowerSession[];
}

const CLIMB_MS = 2.5;
/** WPNAV_SPEED_DN above 10 m, LAND_SPEED below (ArduCopter defaults). */
const DESCENT_FAST_MS = 1.5;
const LAND_MS = 0.5;
const LAND_FINAL_M = 10;
const SPOOL_S = 3;
const LANDED_BEFORE_DISARM_S = 2.5;
/** A police unit's base: the vehicles take off from places around it. */
const BASE: LatLon = { lat: 52.0907, lon: 5.1214 };

const dist2 = (a: { n: number; e: number }, b: { n: number; e: number }) => Math.hypot(b.n - a.n, b.e - a.e);
const bearing = (a: { n: number; e: number }, b: { n: number; e: number }) =>
  ((Math.atan2(b.e - a.e, b.n - a.n) * 180) / Math.PI + 360) % 360;

/** One flight armed at `armT`; its timeline follows from the mission drawn from `rnd`. */
function planFlight(armT: number, bootT: number, rnd: () => number): FlightPlan {
  const cruiseAltM = Math.round(25 + rnd() * 90);
  const speedMs = Math.round((5 + rnd() * 7) * 10) / 10;
  const count = 3 + Math.floor(rnd() * 4);
  const waypoints = Array.from({ length: count }, () => {
    const r = 150 + rnd() * 750;
    const b = rnd() * 2 * Math.PI;
    return { n: r * Math.cos(b), e: r * Math.sin(b) };
  });
  const legs: Leg[] = [];
  const home = { n: 0, e: 0 };
  let t = armT;
  let yawDeg = bearing(home, waypoints[0]!);
  const add = (to: Ned, seconds: number, mode: ModeNumber, wp: number) => {
    const from = legs.length ? legs[legs.length - 1]!.to : { n: 0, e: 0, u: 0 };
    if (dist2(from, to) > 0.01) yawDeg = bearing(from, to);
    legs.push({ t0: t, t1: t + seconds, from, to, mode, yawDeg, wp });
    t += seconds;
  };
  add({ n: 0, e: 0, u: 0 }, SPOOL_S, MODE.AUTO, 0);
  add({ n: 0, e: 0, u: cruiseAltM }, cruiseAltM / CLIMB_MS, MODE.AUTO, 0);
  let at = home;
  let pathM = 0;
  waypoints.forEach((w, i) => {
    const d = dist2(at, w);
    add({ ...w, u: cruiseAltM }, d / speedMs, MODE.AUTO, i + 1);
    pathM += d;
    at = w;
  });
  const back = dist2(at, home);
  add({ n: 0, e: 0, u: cruiseAltM }, back / speedMs, MODE.RTL, 0);
  pathM += back;
  const fastDown = Math.max(0, cruiseAltM - LAND_FINAL_M);
  add({ n: 0, e: 0, u: cruiseAltM - fastDown }, fastDown / DESCENT_FAST_MS, MODE.RTL, 0);
  add({ n: 0, e: 0, u: 0 }, (cruiseAltM - fastDown) / LAND_MS, MODE.RTL, 0);
  // Disarm on the first heartbeat after the landed wait (heartbeats go out at bootT + whole seconds).
  const disarmT = bootT + Math.ceil(t + LANDED_BEFORE_DISARM_S - bootT);
  const maxDistHomeM = Math.max(...waypoints.map((w) => dist2(home, w)));
  return { armT, disarmT, legs, cruiseAltM, speedMs, waypoints, pathM, maxDistHomeM };
}

/**
 * One vehicle's hour: boot, a pre-flight wait on the ground, a flight, a short wait, power off for the battery
 * swap, boot again... A flight that would not end (post-roll included) well before the recording does is not
 * flown: the last session stays on the ground.
 */
export function planVehicle(index: number, durationS: number, rnd: () => number): VehiclePlan {
  const home = movedBy(BASE, (rnd() - 0.5) * 8000, (rnd() - 0.5) * 8000);
  const sessions: PowerSession[] = [];
  let bootT = 2 + index * 7 + rnd() * 10;
  while (bootT < durationS - 30) {
    const armT = bootT + Math.round(60 + rnd() * 120);
    const flight = planFlight(armT, bootT, rnd);
    if (flight.disarmT + 60 > durationS) {
      sessions.push({ bootT, offT: durationS, flight: null });
      break;
    }
    const offT = Math.min(durationS, flight.disarmT + 20 + rnd() * 40);
    sessions.push({ bootT, offT, flight });
    bootT = offT + 60 + rnd() * 120;
  }
  return { sysid: index + 1, compid: 1, home, homeAltM: Math.round(2 + rnd() * 40), sessions };
}

/** Where the vehicle is at `t` in its session: legs give the motion, before and after them it sits at home. */
export interface Kinematics {
  pos: Ned;
  /** Velocity, m/s north/east/up. */
  vel: Ned;
  yawDeg: number;
  mode: ModeNumber;
  armed: boolean;
  /** Mission item being flown to (1-based), 0 outside the mission. */
  wp: number;
}

export function kinematicsAt(session: PowerSession, t: number, lastYawDeg: number): Kinematics {
  const f = session.flight;
  const still = { n: 0, e: 0, u: 0 };
  if (f === null || t < f.armT) return { pos: still, vel: still, yawDeg: lastYawDeg, mode: MODE.LOITER, armed: false, wp: 0 };
  const armed = t < f.disarmT;
  const leg = f.legs.find((l) => t < l.t1);
  if (!leg) return { pos: still, vel: still, yawDeg: f.legs[f.legs.length - 1]!.yawDeg, mode: MODE.RTL, armed, wp: 0 };
  const span = leg.t1 - leg.t0;
  const k = span > 0 ? Math.max(0, (t - leg.t0) / span) : 1;
  const pos = {
    n: leg.from.n + (leg.to.n - leg.from.n) * k,
    e: leg.from.e + (leg.to.e - leg.from.e) * k,
    u: leg.from.u + (leg.to.u - leg.from.u) * k,
  };
  const vel = span > 0
    ? { n: (leg.to.n - leg.from.n) / span, e: (leg.to.e - leg.from.e) / span, u: (leg.to.u - leg.from.u) / span }
    : still;
  return { pos, vel, yawDeg: leg.yawDeg, mode: leg.mode, armed, wp: leg.wp };
}
