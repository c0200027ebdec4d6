import { useState, type KeyboardEvent, type MouseEvent } from "react";
import type { Result, VehicleState } from "../../../../server/protocol";
import { controlsFor, describeHolder, useSession } from "../../access";
import type { ControlAction } from "../../connection";
import { useAppStore } from "../../store";

/** How an acknowledgement reads on the card. */
export function describeAck(action: ControlAction, result: Result<unknown>, holder: string | null): string {
  if (result.ok) {
    switch (action) {
      case "control:take":
        return "Control taken";
      case "control:release":
        return "Control released";
      case "control:override":
        return "Control taken over";
    }
  }
  const { code, message } = result.error;
  if (code === "forbidden") return "Refused: forbidden";
  if (code === "held" || code === "not_holder" || code.includes("held")) return `Refused: held by ${holder ?? "another pilot"}`;
  return `Refused: ${message || code}`;
}

const stop = (e: MouseEvent | KeyboardEvent) => e.stopPropagation();

/**
 * Who holds the vehicle, for everyone; and the buttons this user's roles allow (none for an observer).
 * Clicks stay here: they must not select the card underneath.
 */
export function ControlBar({ vehicle }: { vehicle: VehicleState }) {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const control = useAppStore((s) => s.control[vehicle.key]);
  const [ack, setAck] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Without a session nothing could be sent, so no buttons either.
  const allowed = controlsFor(session ? user : null, control);
  const holder = control?.holder ?? null;
  const id = `${vehicle.sysid}-${vehicle.compid}`;

  const send = async (action: ControlAction) => {
    if (!session) return;
    setBusy(true);
    const result = await session.request(action, vehicle.key);
    setBusy(false);
    setAck(describeAck(action, result, holder));
  };
  const release = () => {
    const theirs = holder !== null && holder !== user?.name;
    if (!theirs || window.confirm(`Release control of ${vehicle.key} held by ${holder}? This is recorded.`)) void send("control:release");
  };
  const override = () => {
    if (window.confirm(`Take control of ${vehicle.key} from ${holder ?? "its holder"}? This is recorded.`)) void send("control:override");
  };
  const anyButton = allowed.take || allowed.release || allowed.override;

  return (
    <div className="control" onClick={stop} onKeyDown={stop}>
      <span className={`control__holder${holder ? " control__holder--held" : ""}`} data-testid={`control-holder-${id}`}>
        {describeHolder(control)}
      </span>
      {anyButton && (
        <span className="control__buttons">
          {allowed.take && (
            <button className="btn btn--small" data-testid={`take-control-${id}`} disabled={busy} onClick={() => void send("control:take")}>
              Take control
            </button>
          )}
          {allowed.release && (
            <button className="btn btn--small" data-testid={`release-control-${id}`} disabled={busy} onClick={release}>
              Release control
            </button>
          )}
          {allowed.override && (
            <button className="btn btn--small btn--danger" data-testid={`override-control-${id}`} disabled={busy} onClick={override}>
              Override control
            </button>
          )}
        </span>
      )}
      {ack && anyButton && (
        <span className="control__ack" role="status" data-testid={`control-ack-${id}`}>
          {ack}
        </span>
      )}
    </div>
  );
}
