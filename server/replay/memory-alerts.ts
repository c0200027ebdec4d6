import type { Alert, AlertClearReason } from "../protocol";
import type { AlertStore, NewAlert } from "../alerts";

/** Alerts kept per replayed flight: a flight raising more is a broken recording, and the oldest cleared ones go. */
const MAX_ALERTS = 2000;

/**
 * The replay's alerts live in memory only: a replayed flight's alerts are never written to the application's alert
 * table (they were raised, if at all, when it flew). Ids come from the session, so two flights' alerts never share one.
 */
export class MemoryAlertStore implements AlertStore {
  private readonly alerts = new Map<number, Alert>();

  constructor(private readonly nextId: () => number) {}

  insert(alert: NewAlert): Alert {
    const stored: Alert = { ...alert, id: this.nextId() };
    this.alerts.set(stored.id, stored);
    if (this.alerts.size > MAX_ALERTS) this.prune();
    return stored;
  }

  update(alert: Alert): void {
    if (this.alerts.has(alert.id)) this.alerts.set(alert.id, alert);
  }

  get(id: number): Alert | null {
    return this.alerts.get(id) ?? null;
  }

  recent(limit: number, others: number): Alert[] {
    const all = [...this.alerts.values()].sort((a, b) => b.id - a.id);
    const attention = all.filter((a) => a.clearedAt === null || a.acknowledgedAt === null).slice(0, limit);
    const rest = all.filter((a) => a.clearedAt !== null && a.acknowledgedAt !== null).slice(0, others);
    return [...attention, ...rest].sort((a, b) => b.id - a.id);
  }

  closeActive(time: number, reason: AlertClearReason): Alert[] {
    const closed: Alert[] = [];
    for (const a of this.alerts.values()) {
      if (a.clearedAt !== null) continue;
      const c = { ...a, clearedAt: time, clearReason: reason };
      this.alerts.set(a.id, c);
      closed.push(c);
    }
    return closed;
  }

  private prune(): void {
    for (const [id, a] of this.alerts) {
      if (this.alerts.size <= MAX_ALERTS) return;
      if (a.clearedAt !== null) this.alerts.delete(id);
    }
  }
}
