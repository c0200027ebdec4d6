/**
 * Pure rules for showing the selected vehicle's own mission: when to read it from the vehicle, and when the
 * draft may be replaced by it. Reading a mission takes seconds on a radio link and blocks other transfers with
 * that vehicle, so it happens once per selected vehicle and per change of its mission, never per frame.
 */
import type { Mission, VehicleKey, VehicleMissionInfo } from "../../../../server/protocol";
import { sameMission } from "./compare";
import { emptyMission } from "./draftOps";

export interface FetchInput {
  key: VehicleKey | null;
  /** The user may read missions and the screen wants the vehicle's mission followed. */
  enabled: boolean;
  /** MISSION_CURRENT's total: null when not reported, 0 when the vehicle has no mission. */
  total: number | null;
  /** What is verified on this vehicle (upload or an earlier read). */
  known: VehicleMissionInfo | null;
  /** A transfer with this vehicle is running (ours or another pilot's): wait for it to finish. */
  transferring: boolean;
  /** A read of this vehicle is already in flight. */
  inFlight: boolean;
  /** The signature of the last read tried for this vehicle, whatever its outcome. */
  lastTried: string | undefined;
}

/** One read per vehicle and mission size: a failed read is not retried until the mission changes or on demand. */
export function fetchSignature(key: VehicleKey, total: number | null): string {
  return `${key}|${total ?? "?"}`;
}

/**
 * The known plan matches the vehicle's count. ArduPilot keeps home as item 0: depending on the firmware the
 * total counts it or not, so both are accepted.
 */
function countMatches(plan: Mission, total: number | null): boolean {
  if (total === null) return true;
  return total === plan.items.length || total === plan.items.length + 1;
}

export function shouldFetch(i: FetchInput): boolean {
  if (!i.enabled || i.key === null || i.inFlight || i.transferring) return false;
  if (i.lastTried === fetchSignature(i.key, i.total)) return false;
  if (i.total === 0) return false;
  return !(i.known?.plan && countMatches(i.known.plan, i.total));
}

const isEmpty = (m: Mission) => m.items.length + m.fence.polygons.length + m.fence.circles.length + m.rally.length === 0;

/**
 * What the draft should become so that the Plan tab shows the selected vehicle's mission, or null to leave it.
 * The draft is replaced only while the pilot has not edited it: when it is empty or still exactly the plan shown
 * last time. `target` is the vehicle's verified plan, or null when none is known (then a plan shown for another
 * vehicle is taken away rather than passed off as this one's).
 */
export function nextDraft(draft: Mission, lastShown: Mission | null, target: Mission | null): Mission | null {
  const pristine = isEmpty(draft) || (lastShown !== null && sameMission(draft, lastShown));
  if (!pristine) return null;
  if (target === null) return isEmpty(draft) ? null : emptyMission(draft.home);
  return sameMission(draft, target) ? null : target;
}
