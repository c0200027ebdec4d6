import type { Attitude } from "../../../../server/protocol";

/**
 * Geometry of the attitude indicator and compass rose, in SVG user units of a dial whose viewBox is centred on
 * (0, 0). SVG's y axis points down and rotate() turns clockwise, hence the signs below.
 */

/** Pitch ladder scale: the dial radius (DIAL_RADIUS) shows about ±45° of pitch. */
export const PITCH_PX_PER_DEG = 2;
/** Euler pitch cannot exceed ±90°; larger (bad) values are pinned there rather than wrapping the ladder. */
export const PITCH_LIMIT_DEG = 90;
export const DIAL_RADIUS = 90;
/** Angles are rounded to this before reaching the DOM: finer steps are invisible and would only churn attributes. */
export const ANGLE_STEP_DEG = 0.1;

const DEG = 180 / Math.PI;

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/** Rounds to ANGLE_STEP_DEG and turns -0 into 0 (so "-0" never shows or differs from "0"). */
function roundAngle(deg: number): number {
  return Math.round(deg / ANGLE_STEP_DEG) * ANGLE_STEP_DEG + 0;
}

function tidy(n: number): number {
  return Number(n.toFixed(2)) + 0;
}

/** Any angle into (-180, 180]. */
export function wrap180(deg: number): number {
  const d = ((deg % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
}

/** Any angle into [0, 360). */
export function wrap360(deg: number): number {
  return ((deg % 360) + 360) % 360;
}

export interface HorizonPose {
  /** Degrees, positive right wing down, in (-180, 180]. */
  rollDeg: number;
  /** Degrees, positive nose up, clamped to ±PITCH_LIMIT_DEG. */
  pitchDeg: number;
  /** True when the reported pitch was outside ±PITCH_LIMIT_DEG. */
  pitchClamped: boolean;
  /** SVG rotation of the horizon: banking right turns the world left (counter-clockwise). */
  rotateDeg: number;
  /** SVG shift of the horizon along the dial's vertical: nose up moves the world down. */
  offsetY: number;
  /** transform of the sky/ground/ladder group. */
  horizonTransform: string;
  /** transform of the roll pointer, which turns with the horizon but does not pitch. */
  rollTransform: string;
}

/** Pose of the artificial horizon for an attitude in radians; null when unknown (the dial says so). */
export function horizonPose(attitude: Pick<Attitude, "roll" | "pitch"> | null, pxPerDeg = PITCH_PX_PER_DEG): HorizonPose | null {
  if (!attitude || !Number.isFinite(attitude.roll) || !Number.isFinite(attitude.pitch)) return null;
  const rollDeg = roundAngle(wrap180(attitude.roll * DEG));
  const rawPitch = attitude.pitch * DEG;
  const pitchDeg = roundAngle(clamp(rawPitch, -PITCH_LIMIT_DEG, PITCH_LIMIT_DEG));
  const rotateDeg = tidy(-rollDeg);
  const offsetY = tidy(pitchDeg * pxPerDeg);
  return {
    rollDeg: tidy(rollDeg),
    pitchDeg: tidy(pitchDeg),
    pitchClamped: Math.abs(rawPitch) > PITCH_LIMIT_DEG,
    rotateDeg,
    offsetY,
    horizonTransform: `rotate(${rotateDeg}) translate(0 ${offsetY})`,
    rollTransform: `rotate(${rotateDeg})`,
  };
}

export interface LadderRung {
  deg: number;
  /** Above the horizon for positive pitch. */
  y: number;
  halfWidth: number;
  /** Printed on major rungs only. */
  label: string | null;
}

/** Rungs every `stepDeg` up to ±limit, without the horizon itself; every second one is a labelled major rung. */
export function pitchLadder(stepDeg = 5, limitDeg = PITCH_LIMIT_DEG, pxPerDeg = PITCH_PX_PER_DEG): LadderRung[] {
  const rungs: LadderRung[] = [];
  for (let deg = -limitDeg; deg <= limitDeg; deg += stepDeg) {
    if (deg === 0) continue;
    const major = deg % (stepDeg * 2) === 0;
    rungs.push({ deg, y: tidy(-deg * pxPerDeg), halfWidth: major ? 22 : 11, label: major ? String(Math.abs(deg)) : null });
  }
  return rungs;
}

export interface Tick {
  deg: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  major: boolean;
}

/** A radial tick at `deg` clockwise from the top of the dial, from radius r1 outwards to r2. */
export function radialTick(deg: number, r1: number, r2: number, major: boolean): Tick {
  const a = deg / DEG;
  const s = Math.sin(a);
  const c = Math.cos(a);
  return { deg, x1: tidy(r1 * s), y1: tidy(-r1 * c), x2: tidy(r2 * s), y2: tidy(-r2 * c), major };
}

export const ROLL_SCALE_DEG = [-60, -45, -30, -20, -10, 0, 10, 20, 30, 45, 60] as const;

/** The fixed roll scale at the top of the dial; majors at 0, ±30, ±60. */
export function rollScale(radius = DIAL_RADIUS): Tick[] {
  return ROLL_SCALE_DEG.map((deg) => {
    const major = deg % 30 === 0;
    return radialTick(deg, radius - (major ? 12 : 7), radius, major);
  });
}

export interface CompassMark extends Tick {
  label: string | null;
}

const CARDINALS: Record<number, string> = { 0: "N", 90: "E", 180: "S", 270: "W" };

/** The compass card: a tick every 10°, labels every 30° ("N", "3", "6", "E", ... in tens of degrees). */
export function compassCard(radius = DIAL_RADIUS): CompassMark[] {
  const marks: CompassMark[] = [];
  for (let deg = 0; deg < 360; deg += 10) {
    const major = deg % 30 === 0;
    const label = major ? (CARDINALS[deg] ?? String(deg / 10)) : null;
    marks.push({ ...radialTick(deg, radius - (major ? 12 : 7), radius, major), label });
  }
  return marks;
}

/** The card turns so the current heading sits under the lubber line at the top; null when unknown. */
export function roseTransform(headingDeg: number | null): string | null {
  if (headingDeg === null || !Number.isFinite(headingDeg)) return null;
  return `rotate(${tidy(-roundAngle(wrap360(headingDeg)))})`;
}

function signed(deg: number, positive: string, negative: string): string {
  const whole = Math.round(Math.abs(deg));
  if (whole === 0) return "0°";
  return `${whole}° ${deg > 0 ? positive : negative}`;
}

/** What the attitude dial shows, in words, for screen readers and tests. */
export function attitudeLabel(pose: HorizonPose | null): string {
  if (!pose) return "Attitude unknown";
  return `Attitude: roll ${signed(pose.rollDeg, "right", "left")}, pitch ${signed(pose.pitchDeg, "up", "down")}`;
}
