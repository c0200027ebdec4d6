import type { VehicleCommand, VehicleCommandKind, VehicleState } from "../../../../server/protocol";
import type { Availabilities, Availability } from "./availability";

/** What every group of controls gets from the panel. */
export interface SectionProps {
  vehicle: VehicleState;
  av: Availabilities;
  /** A command of this kind is waiting for the vehicle: its button waits too (no double sends). */
  isPending(kind: VehicleCommandKind): boolean;
  /** Asks for confirmation when the command needs it, then sends. */
  onCommand(command: VehicleCommand): void;
}

/**
 * A button whose accessible name stays its label whatever its state (tests and Playwright find it by name);
 * the reason it is off is its title, which is also its accessible description.
 */
export function CommandButton({ label, availability, pending = false, danger = false, onClick }: {
  label: string;
  availability: Availability;
  pending?: boolean;
  danger?: boolean;
  onClick(): void;
}) {
  const reason = availability.enabled ? (pending ? "Waiting for the vehicle's answer" : undefined) : (availability.reason ?? undefined);
  return (
    <button
      type="button"
      className={`btn btn--small cmd-btn${danger ? " btn--danger" : ""}${pending ? " cmd-btn--pending" : ""}`}
      disabled={!availability.enabled || pending}
      aria-busy={pending || undefined}
      title={reason}
      onClick={onClick}
    >
      {label}
    </button>
  );
}

/** A control that is enabled only when its own input is valid too. */
export function withInput(a: Availability, inputError: string | null): Availability {
  return a.enabled && inputError ? { enabled: false, reason: inputError } : a;
}
