import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { DeletionRequest, EvidenceSweepStatus, RetentionOverview, RetentionUsageRow } from "../../../../server/protocol";
import { createCall, describeApiError } from "../../access";

const CATEGORY_LABEL: Record<RetentionUsageRow["category"], string> = {
  evidential: "Evidential", non_evidential: "Non-evidential", legal_hold: "On legal hold", deleted: "Deleted (record kept)",
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

const utc = (ms: number | null) => (ms === null ? "—" : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`);
const itemName = (r: Pick<DeletionRequest, "kind" | "itemId">) => `${r.kind === "flight" ? "Flight" : "Footage"} ${r.itemId}`;

function Usage({ overview }: { overview: RetentionOverview }) {
  const rows = [...overview.footage.map((r) => ({ what: "Footage", ...r })), ...overview.flights.map((r) => ({ what: "Flights", ...r }))];
  return (
    <table className="admin__table" data-testid="retention-usage">
      <thead><tr><th>Kind</th><th>Category</th><th>Items</th><th>On disk</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={4} className="empty">Nothing stored yet.</td></tr>}
        {rows.map((r) => (
          <tr key={`${r.what}:${r.category}`}><td>{r.what}</td><td>{CATEGORY_LABEL[r.category]}</td><td>{r.items}</td><td>{formatBytes(r.bytes)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function Sweep({ status, onRun, running }: { status: EvidenceSweepStatus | null; onRun: () => void; running: boolean }) {
  const last = status?.last ?? null;
  return (
    <div className="admin__sweep" data-testid="evidence-sweep">
      <p>
        {last
          ? `Last integrity check ${utc(last.finishedAt)} (${last.startedBy}): ${last.files} files, ${formatBytes(last.bytes)}; `
            + `${last.ok} intact, ${last.altered} altered, ${last.missing} missing${last.abandoned ? " (stopped before the end)" : ""}.`
          : "No integrity check has run yet."}
        {" "}
        <button type="button" className="btn btn--small" onClick={onRun} disabled={running || status?.running === true} data-testid="evidence-sweep-run">
          {running || status?.running ? "Checking…" : "Check every original now"}
        </button>
      </p>
      {last && last.failures.length > 0 && (
        <ul className="tone--danger" data-testid="evidence-sweep-failures">
          {last.failures.map((f) => <li key={f.footageId}>{`Footage ${f.footageId}: ${f.problem}`}</li>)}
        </ul>
      )}
    </div>
  );
}

function RequestForm({ onSubmit }: { onSubmit: (kind: "footage" | "flight", id: number, reason: string) => Promise<void> }) {
  const [kind, setKind] = useState<"footage" | "flight">("footage");
  const [id, setId] = useState("");
  const [reason, setReason] = useState("");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await onSubmit(kind, Number(id), reason.trim());
    setId("");
    setReason("");
  };
  return (
    <form className="admin__add" onSubmit={(e) => void submit(e)} aria-label="Request a deletion">
      <h3>Request a deletion (it happens after the recovery window unless cancelled; an item on legal hold is refused)</h3>
      <select value={kind} onChange={(e) => setKind(e.target.value as "footage" | "flight")} data-testid="retention-kind" aria-label="Kind">
        <option value="footage">Footage</option>
        <option value="flight">Flight</option>
      </select>
      <input data-testid="retention-id" placeholder="Id" inputMode="numeric" pattern="[1-9][0-9]*" value={id} onChange={(e) => setId(e.target.value)} required />
      <input data-testid="retention-reason" placeholder="Reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
      <button className="btn btn--primary" type="submit" data-testid="retention-request">Request</button>
    </form>
  );
}

function Queue({ requests, onCancel }: { requests: DeletionRequest[]; onCancel: (r: DeletionRequest) => void }) {
  if (requests.length === 0) return <p className="empty">No deletion requested.</p>;
  return (
    <table className="admin__table" data-testid="retention-queue">
      <thead><tr><th>Item</th><th>Reason</th><th>Asked</th><th>State</th><th /></tr></thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id} data-testid={`retention-request-${r.id}`}>
            <td>{itemName(r)}</td>
            <td>{r.reason}</td>
            <td>{`${r.requestedBy}, ${utc(r.requestedAt)}`}</td>
            <td>{r.state === "pending" ? `Deleted after ${utc(r.dueAt)}` : `${r.state}${r.decidedBy ? ` by ${r.decidedBy}` : ""}${r.outcome ? `: ${r.outcome}` : ""}`}</td>
            <td>{r.state === "pending" && <button type="button" className="btn btn--small" onClick={() => onCancel(r)} data-testid={`retention-cancel-${r.id}`}>Cancel</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Evidence storage for admins: the policy, disk used per category (footage and flights), the integrity check of
 * the stored originals, and the deletion queue. Every request and cancellation needs a reason and is audited.
 */
export function RetentionSection({ fetchFn, ask = (q) => window.prompt(q) }: { fetchFn: typeof fetch; ask?: (question: string) => string | null }) {
  const [call] = useState(() => createCall(fetchFn));
  const [overview, setOverview] = useState<RetentionOverview | null>(null);
  const [sweep, setSweep] = useState<EvidenceSweepStatus | null>(null);
  const [sweeping, setSweeping] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "danger"; text: string } | null>(null);
  const reload = useCallback(async () => {
    try {
      const [o, s] = await Promise.all([call<RetentionOverview>("/api/retention"), call<EvidenceSweepStatus>("/api/evidence/sweep")]);
      setOverview(o);
      setSweep(s);
    } catch (err) {
      setMessage({ tone: "danger", text: describeApiError(err) });
    }
  }, [call]);
  useEffect(() => { void reload(); }, [reload]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage({ tone: "ok", text: done });
    } catch (err) {
      setMessage({ tone: "danger", text: describeApiError(err) });
    }
    await reload();
  };
  const runSweep = () => {
    setSweeping(true);
    void act(() => call("/api/evidence/sweep", { method: "POST", json: {} }), "Integrity check finished.").finally(() => setSweeping(false));
  };
  const cancel = (r: DeletionRequest) => {
    const reason = ask(`Why keep ${itemName(r)}?`)?.trim();
    if (reason) void act(() => call(`/api/retention/deletions/${r.id}/cancel`, { method: "POST", json: { reason } }), `Deletion of ${itemName(r)} cancelled.`);
  };

  return (
    <section className="admin__retention" aria-label="Evidence storage" data-testid="retention-section">
      <h2 className="panel-title">Evidence storage</h2>
      {message && <p className={`admin__message tone--${message.tone}`} role="status" data-testid="retention-message">{message.text}</p>}
      {overview && (
        <p className="admin__policy" data-testid="retention-policy">
          {`Kept ${overview.policy.nonEvidentialDays} days when not linked to an incident, ${overview.policy.evidentialDays} days when linked (the longest applies); `
            + `anything linked to an open incident is on legal hold. A deletion waits ${overview.policy.recoveryDays} days before it happens.`}
        </p>
      )}
      {overview ? <Usage overview={overview} /> : <p className="empty">Loading…</p>}
      <Sweep status={sweep} onRun={runSweep} running={sweeping} />
      <RequestForm onSubmit={(kind, id, reason) => act(() => call("/api/retention/deletions", { method: "POST", json: { kind, id, reason } }), `Deletion of ${kind} ${id} requested.`)} />
      {overview && <Queue requests={overview.requests} onCancel={cancel} />}
    </section>
  );
}
