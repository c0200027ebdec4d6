import { useEffect, useRef, useState, type Dispatch } from "react";
import type { Mission, VehicleKey, VehicleMissionInfo } from "../../../../server/protocol";
import { sameMission } from "./compare";
import { fetchSignature, nextDraft, shouldFetch } from "./follow";
import type { MissionActions } from "./MissionEditorContext";
import type { EditorAction } from "./reducer";

export interface FollowOptions {
  enabled: boolean;
  key: VehicleKey | null;
  /** MISSION_CURRENT's total for the selected vehicle. */
  total: number | null;
  /** What is verified on the selected vehicle (null when nothing, or another vehicle's). */
  known: VehicleMissionInfo | null;
  /** A mission transfer with the selected vehicle is running. */
  transferring: boolean;
  download: MissionActions["download"];
  draft: Mission;
  dispatch: Dispatch<EditorAction>;
}

/**
 * Shows the selected vehicle's own mission in the editor: reads it from the vehicle when it is selected and when
 * its mission changes (at most one read per vehicle at a time; the result reaches `known` through the server's
 * "mission:vehicle" broadcast), and puts it in the draft while the pilot has not edited the draft.
 */
export function useFollowVehicleMission({ enabled, key, total, known, transferring, download, draft, dispatch }: FollowOptions): void {
  const inFlight = useRef(new Set<VehicleKey>());
  const tried = useRef(new Map<VehicleKey, string>());
  // A read that ended may allow the next one (the mission changed meanwhile): re-run the check then.
  const [reads, setReads] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const input = { key, enabled, total, known, transferring, inFlight: inFlight.current.has(key), lastTried: tried.current.get(key) };
    if (!shouldFetch(input)) return;
    tried.current.set(key, fetchSignature(key, total));
    inFlight.current.add(key);
    void download(key).catch(() => undefined).finally(() => {
      inFlight.current.delete(key);
      setReads((n) => n + 1);
    });
  }, [enabled, key, total, known, transferring, download, reads]);

  // Keyed on the vehicle and its plan only, not on the draft: clearing or editing the draft must not bring the
  // vehicle's plan straight back.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const lastShown = useRef<Mission | null>(null);
  const target = known?.plan ?? null;
  useEffect(() => {
    if (!enabled || key === null) return;
    const current = draftRef.current;
    const next = nextDraft(current, lastShown.current, target);
    if (next) {
      dispatch({ type: "load", mission: next });
      lastShown.current = next;
    } else if (target && sameMission(current, target)) {
      lastShown.current = target;
    }
  }, [enabled, key, target, dispatch]);
}
