import { memo, useState } from "react";
import type { Alert, VehicleKey } from "../../../../server/protocol";
import { hasRole, useSession } from "../../access";
import { severityTone } from "../../components";
import { formatClock } from "../../format";
import { useAppStore, type AlertEntry } from "../../store";
import { PHASE_LABEL, activeBadge, alertPhase, orderAlerts } from "./alertState";

/** The strip shows this many; the store keeps more (bounded) for later views. */
const VISIBLE_ALERTS = 100;

const MessageRow = memo(function MessageRow({ alert, onSelect }: { alert: AlertEntry; onSelect: (key: VehicleKey) => void }) {
  const tone = severityTone(alert.severity);
  return (
    <li className={`alert alert--${tone}`} data-testid="message" data-severity={alert.severity} onClick={() => onSelect(alert.key)}>
      <span className="alert__time">{formatClock(alert.time)}</span>
      <span className="alert__key">{alert.key}</span>
      <span className={`alert__sev tone--${tone}`}>{alert.severity.toUpperCase()}</span>
      <span className="alert__text">{alert.text}</span>
    </li>
  );
});

interface AlertRowProps {
  alert: Alert;
  canAck: boolean;
  onSelect: (key: VehicleKey) => void;
  onAck: (id: number) => void;
}

const AlertRow = memo(function AlertRow({ alert, canAck, onSelect, onAck }: AlertRowProps) {
  const phase = alertPhase(alert);
  const tone = phase === "settled" ? "neutral" : severityTone(alert.severity);
  return (
    <li className={`alert alert--rule alert--${tone} alert--${phase}`} data-testid="alert" data-rule={alert.rule}
      data-phase={phase} onClick={() => onSelect(alert.key)}>
      <span className="alert__time">{formatClock(alert.raisedAt)}</span>
      <span className="alert__key">{alert.key}</span>
      <span className={`alert__sev tone--${tone}`}>{PHASE_LABEL[phase]}</span>
      <span className="alert__text" title={alert.text}>{alert.text}</span>
      <span className="alert__ack">
        {alert.acknowledgedBy !== null ? (
          <span className="alert__by" title={alert.acknowledgedAt !== null ? formatClock(alert.acknowledgedAt) : undefined}>
            ack {alert.acknowledgedBy}
          </span>
        ) : canAck ? (
          <button className="btn btn--small" aria-label={`Acknowledge: ${alert.text}`}
            onClick={(e) => { e.stopPropagation(); onAck(alert.id); }}>
            Ack
          </button>
        ) : null}
      </span>
    </li>
  );
});

/**
 * Server alerts (rules with episodes: active until the condition ends, open until a pilot acknowledges) and,
 * on the second tab, every status text and link event as it came. Clicking a line selects its vehicle.
 */
export function AlertsStrip() {
  const alerts = useAppStore((s) => s.serverAlerts);
  const messages = useAppStore((s) => s.alerts);
  const select = useAppStore((s) => s.select);
  const user = useAppStore((s) => s.auth.user);
  const session = useSession();
  const [tab, setTab] = useState<"alerts" | "messages">("alerts");
  const [error, setError] = useState<string | null>(null);
  const canAck = session !== null && hasRole(user, "pilot");
  const badge = activeBadge(alerts);

  const ack = (id: number) => {
    if (!session) return;
    void session.call("alert:ack", { id }).then((r) => setError(r.ok ? null : `Not acknowledged: ${r.error.message}`));
  };

  return (
    <section className="alerts" aria-label="Alerts">
      <div className="alerts__tabs" role="tablist">
        <button role="tab" aria-selected={tab === "alerts"} className="alerts__tab" onClick={() => setTab("alerts")}>
          Alerts <span className={`panel-title__count${badge.hot ? " panel-title__count--hot" : ""}`} data-testid="alerts-open"
            title={badge.title} aria-label={badge.title}>{badge.count}</span>
        </button>
        <button role="tab" aria-selected={tab === "messages"} className="alerts__tab" onClick={() => setTab("messages")}>
          Messages <span className="panel-title__count">{messages.length}</span>
        </button>
        {error && <span className="alerts__error" role="status">{error}</span>}
      </div>
      {tab === "alerts" ? (
        alerts.length === 0 ? <p className="empty">No alerts.</p> : (
          <ol className="alerts__list" aria-live="polite">
            {orderAlerts(alerts).slice(0, VISIBLE_ALERTS).map((a) => (
              <AlertRow key={a.id} alert={a} canAck={canAck} onSelect={select} onAck={ack} />
            ))}
          </ol>
        )
      ) : messages.length === 0 ? <p className="empty">No messages.</p> : (
        <ol className="alerts__list">
          {messages.slice(0, VISIBLE_ALERTS).map((a) => <MessageRow key={a.id} alert={a} onSelect={select} />)}
        </ol>
      )}
    </section>
  );
}
