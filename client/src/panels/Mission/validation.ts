/**
 * Checks a draft before it goes to a vehicle. Errors block the upload (a police drone must not be sent a plan
 * that breaks the altitude limit or leaves its fence); warnings are shown and the pilot decides.
 */
import type { LatLon, Mission } from "../../../../server/protocol";
import { distanceM, insidePolygon } from "./geo";
import { hasAltitude, hasPosition, isNavCommand, kindOf } from "./kinds";

export type Severity = "error" | "warning";

export interface Problem {
  severity: Severity;
  message: string;
  /** Index into items when the problem is about one item (the list highlights it). */
  item?: number;
}

export interface ValidationContext {
  /** Legal ceiling above home, metres (120 m in the UK and EU open category). */
  maxAltitudeM: number;
  /** Whether the vehicle is on the ground (disarmed); null when unknown or no vehicle is chosen. */
  onGround: boolean | null;
}

export const DEFAULT_VALIDATION: ValidationContext = { maxAltitudeM: 120, onGround: null };

const seqOf = (index: number) => index + 1;

function itemProblems(m: Mission, ctx: ValidationContext): Problem[] {
  const out: Problem[] = [];
  const add = (severity: Severity, index: number, text: string) =>
    out.push({ severity, item: index, message: `Item ${seqOf(index)}: ${text}` });
  let endedAt: number | null = null;
  m.items.forEach((it, i) => {
    const kind = kindOf(it);
    if (endedAt !== null) add("warning", i, `comes after item ${seqOf(endedAt)} ends the flight, so it will never run`);
    if (hasAltitude(it)) {
      if (!Number.isFinite(it.alt) || it.alt < 0) add("error", i, `altitude ${it.alt} m is below home`);
      else if (it.alt > ctx.maxAltitudeM) add("error", i, `altitude ${it.alt} m is above the ${ctx.maxAltitudeM} m limit`);
    }
    if ((kind === "waypoint" || kind === "loiter") && !hasPosition(it)) add("error", i, "has no position");
    if (kind === "loiter" && !((it.params[0] ?? 0) > 0)) add("error", i, "loiter time must be more than 0 s");
    if (kind === "speed" && !((it.params[1] ?? 0) > 0)) add("error", i, "speed must be more than 0 m/s");
    if (kind === "takeoff" && !(it.alt > 0)) add("error", i, "take-off altitude must be more than 0 m");
    if (kind === "other") add("warning", i, `command ${it.command} is not one this editor knows; it is kept as it is`);
    if ((kind === "rtl" || kind === "land") && endedAt === null) endedAt = i;
  });
  return out;
}

function takeoffProblems(m: Mission, ctx: ValidationContext): Problem[] {
  const firstNav = m.items.findIndex((it) => isNavCommand(it.command));
  const takeoff = m.items.findIndex((it) => kindOf(it) === "takeoff");
  if (takeoff < 0 && ctx.onGround === true && firstNav >= 0) {
    return [{ severity: "warning", message: "The mission has no take-off item and the vehicle is on the ground" }];
  }
  if (takeoff > firstNav && firstNav >= 0) {
    return [{ severity: "warning", item: takeoff, message: `Item ${seqOf(takeoff)}: take-off is not the first navigation item` }];
  }
  return [];
}

function endProblems(m: Mission): Problem[] {
  if (m.items.length === 0) return [{ severity: "warning", message: "The mission has no items" }];
  if (!m.items.some((it) => kindOf(it) === "rtl" || kindOf(it) === "land")) {
    return [{ severity: "warning", message: "The mission does not end with a return to launch or a landing: the vehicle will hover at the last waypoint" }];
  }
  return [];
}

function fenceShapeProblems(m: Mission, ctx: ValidationContext): Problem[] {
  const out: Problem[] = [];
  m.fence.polygons.forEach((p, i) => {
    if (p.points.length < 3) out.push({ severity: "error", message: `Fence polygon ${i + 1} has fewer than 3 corners` });
  });
  m.fence.circles.forEach((c, i) => {
    if (!(c.radius > 0)) out.push({ severity: "error", message: `Fence circle ${i + 1}: radius must be more than 0 m` });
  });
  m.rally.forEach((r, i) => {
    if (r.alt > ctx.maxAltitudeM) out.push({ severity: "error", message: `Rally point ${i + 1}: altitude ${r.alt} m is above the ${ctx.maxAltitudeM} m limit` });
  });
  return out;
}

/** ArduPilot's fence: inside every inclusion zone (when there is any) and outside every exclusion zone. */
export function breachesFence(m: Mission, p: LatLon): "outside" | "inside_exclusion" | null {
  const { polygons, circles } = m.fence;
  const inclusions = [
    ...polygons.filter((z) => z.inclusion && z.points.length >= 3).map((z) => insidePolygon(p, z.points)),
    ...circles.filter((c) => c.inclusion).map((c) => distanceM(c.center, p) <= c.radius),
  ];
  if (inclusions.length > 0 && inclusions.some((inside) => !inside)) return "outside";
  const excluded =
    polygons.some((z) => !z.inclusion && z.points.length >= 3 && insidePolygon(p, z.points)) ||
    circles.some((c) => !c.inclusion && distanceM(c.center, p) <= c.radius);
  return excluded ? "inside_exclusion" : null;
}

function fenceBreaches(m: Mission): Problem[] {
  const out: Problem[] = [];
  m.items.forEach((it, i) => {
    if (!hasPosition(it)) return;
    const breach = breachesFence(m, it);
    if (breach === "outside") out.push({ severity: "error", item: i, message: `Item ${seqOf(i)} is outside the inclusion fence` });
    if (breach === "inside_exclusion") out.push({ severity: "error", item: i, message: `Item ${seqOf(i)} is inside an exclusion zone` });
  });
  if (m.home && breachesFence(m, m.home)) out.push({ severity: "warning", message: "Home is outside the fence: the vehicle will not arm" });
  return out;
}

export function validateMission(m: Mission, ctx: ValidationContext = DEFAULT_VALIDATION): Problem[] {
  return [...itemProblems(m, ctx), ...takeoffProblems(m, ctx), ...endProblems(m), ...fenceShapeProblems(m, ctx), ...fenceBreaches(m)];
}

export const hasErrors = (problems: readonly Problem[]) => problems.some((p) => p.severity === "error");
