import { useState } from "react";
import type { VehicleKey, VehicleState } from "../../../../server/protocol";
import { ConfirmDialog } from "./ConfirmDialog";
import { FLEET_ACTIONS, fleetCommand, fleetRow, fleetSummary, fleetTargets, type FleetAction, type FleetResult } from "./fleet";
import { describeOutcome, thrownToResult } from "./outcome";
import type { CommandSender } from "./types";

export interface FleetActionsProps {
  /** The vehicles this user holds (the integrator filters by control). */
  vehicles: readonly VehicleState[];
  sender: CommandSender;
}

function FleetTable({ vehicles }: { vehicles: readonly VehicleState[] }) {
  return (
    <table className="cmd-fleet__table" aria-label="Vehicles concerned">
      <thead>
        <tr><th>Vehicle</th><th>Mode</th><th>Alt</th><th>Battery</th></tr>
      </thead>
      <tbody>
        {vehicles.map(fleetRow).map((r) => (
          <tr key={r.key}>
            <td>{r.key}</td><td>{r.mode}</td><td>{r.altitude}</td><td>{r.battery}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One command to every armed vehicle this pilot holds, after a dialog that lists them all. */
export function FleetActions({ vehicles, sender }: FleetActionsProps) {
  const [asking, setAsking] = useState<FleetAction | null>(null);
  const [done, setDone] = useState<{ action: FleetAction; results: FleetResult[] } | null>(null);

  const send = (action: FleetAction, keys: readonly VehicleKey[]) => {
    setDone({ action, results: keys.map((key) => ({ key, outcome: null })) });
    // In parallel: in an emergency the last drone must not wait for the first one's answer.
    for (const key of keys) {
      void sender
        .send({ key, command: fleetCommand(action.kind), confirmed: true })
        .catch(thrownToResult)
        .then((result) => {
          const outcome = describeOutcome(result);
          setDone((d) => d && d.action === action ? { action, results: d.results.map((r) => (r.key === key ? { key, outcome } : r)) } : d);
        });
    }
  };

  const current = asking ? fleetTargets(vehicles, asking.kind) : null;
  return (
    <section className="cmd-fleet" aria-label="All held vehicles">
      <h3 className="cmd-section__title">All my vehicles <span className="panel-title__count">{vehicles.length}</span></h3>
      <div className="cmd-row cmd-row--fill">
        {FLEET_ACTIONS.map((a) => {
          const none = fleetTargets(vehicles, a.kind).targets.length === 0;
          return (
            <button key={a.kind} type="button" className="btn btn--small" disabled={none} title={none ? "No armed vehicle held" : undefined} onClick={() => setAsking(a)}>
              {a.label}
            </button>
          );
        })}
      </div>
      <div className="cmd-fleet__results" role="status" aria-live="polite">
        {done && (
          <>
            <p className="cmd-fleet__summary">{done.action.label}: {fleetSummary(done.results)}</p>
            <ul className="cmd-fleet__list">
              {done.results.map((r) => (
                <li key={r.key} className={`tone--${r.outcome?.tone ?? "info"}`}>
                  <span className="cmd-fleet__key">{r.key}</span> {r.outcome?.text ?? "Waiting for the vehicle…"}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {asking && current && (
        <ConfirmDialog
          title={`${asking.verb}: ${current.targets.length} vehicle${current.targets.length === 1 ? "" : "s"}?`}
          body={asking.body}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            send(asking, current.targets.map((v) => v.key));
          }}
        >
          <FleetTable vehicles={current.targets} />
          {current.skipped.length > 0 && (
            <p className="cmd-note">Not sent to: {current.skipped.map((s) => `${s.key} (${s.reason})`).join(", ")}</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
