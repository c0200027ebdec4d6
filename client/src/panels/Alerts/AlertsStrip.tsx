import { memo } from "react";
import type { VehicleKey } from "../../../../server/protocol";
import { severityTone } from "../../components";
import { formatClock } from "../../format";
import { useAppStore, type AlertEntry } from "../../store";

/** The strip shows this many; the store keeps more (bounded) for later views. */
const VISIBLE_ALERTS = 100;

const AlertRow = memo(function AlertRow({ alert, onSelect }: { alert: AlertEntry; onSelect: (key: VehicleKey) => void }) {
  const tone = severityTone(alert.severity);
  return (
    <li className={`alert alert--${tone}`} data-testid="alert" data-severity={alert.severity} onClick={() => onSelect(alert.key)}>
      <span className="alert__time">{formatClock(alert.time)}</span>
      <span className="alert__key">{alert.key}</span>
      <span className={`alert__sev tone--${tone}`}>{alert.severity.toUpperCase()}</span>
      <span className="alert__text">{alert.text}</span>
    </li>
  );
});

/** Status texts and link events, newest first, coloured by severity. Clicking one selects its vehicle. */
export function AlertsStrip() {
  const alerts = useAppStore((s) => s.alerts);
  const select = useAppStore((s) => s.select);
  return (
    <section className="alerts" aria-label="Alerts">
      <h2 className="panel-title">
        Alerts <span className="panel-title__count">{alerts.length}</span>
      </h2>
      {alerts.length === 0 ? (
        <p className="empty">No messages.</p>
      ) : (
        <ol className="alerts__list" aria-live="polite">
          {alerts.slice(0, VISIBLE_ALERTS).map((a) => (
            <AlertRow key={a.id} alert={a} onSelect={select} />
          ))}
        </ol>
      )}
    </section>
  );
}
