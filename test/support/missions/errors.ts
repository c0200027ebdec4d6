import { MissionFileError } from "../../../server/missions";

/** Runs `fn` and returns the MissionFileError it throws (tests only); anything else fails the test. */
export function errorOf(fn: () => unknown): MissionFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MissionFileError) return err;
    throw err;
  }
  throw new Error("expected a MissionFileError");
}
