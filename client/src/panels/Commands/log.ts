import type { VehicleCommand, VehicleKey } from "../../../../server/protocol";
import type { Outcome } from "./outcome";

/** One command sent from this panel: pending until the server answers, then its outcome in words. */
export interface CommandEntry {
  id: number;
  key: VehicleKey;
  command: VehicleCommand;
  label: string;
  /** Client clock, ms. */
  sentAt: number;
  /** Null while waiting for the vehicle. */
  outcome: Outcome | null;
  /** Set when the vehicle refused a normal arm/disarm: the panel then offers the forced one. */
  forceOffer: "forceArm" | "forceDisarm" | null;
}

/** Finished commands kept per vehicle (pending ones are always kept: their answer is still to come). */
export const LOG_MAX = 10;

/** Newest first; drops the oldest finished entries of that vehicle beyond LOG_MAX. */
export function addEntry(entries: readonly CommandEntry[], entry: CommandEntry): CommandEntry[] {
  let finished = 0;
  return [entry, ...entries].filter((e) => {
    if (e.key !== entry.key || e.outcome === null) return true;
    finished += 1;
    return finished <= LOG_MAX;
  });
}

export function finishEntry(
  entries: readonly CommandEntry[],
  id: number,
  outcome: Outcome,
  forceOffer: CommandEntry["forceOffer"],
): CommandEntry[] {
  const done = entries.map((e) => (e.id === id ? { ...e, outcome, forceOffer } : e));
  const entry = done.find((e) => e.id === id);
  // Re-apply the bound: the entry that just finished now counts against it.
  return entry ? addEntry(done.filter((e) => e.id !== id), entry).sort((a, b) => b.id - a.id) : done;
}

export function entriesFor(entries: readonly CommandEntry[], key: VehicleKey): CommandEntry[] {
  return entries.filter((e) => e.key === key);
}

/** Whether a command of this kind is still waiting for this vehicle (its button then waits too). */
export function isPending(entries: readonly CommandEntry[], key: VehicleKey, kind: VehicleCommand["kind"]): boolean {
  return entries.some((e) => e.key === key && e.outcome === null && e.command.kind === kind);
}
