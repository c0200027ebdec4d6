// Trails are computed the same way on the server (kept per vehicle, sent in the snapshot) and here.
export { appendTrailPoint, groundDistanceM, TRAIL_MAX_POINTS, TRAIL_MIN_STEP_M } from "../../../server/protocol";
