import { useCallback, useMemo, useState } from "react";
import type { Incident, IncidentInput } from "../../../../server/protocol";
import { ApiCallError } from "../../access";
import { Badge } from "../../components";
import { createCustodyApi, CustodySection, ExportSection } from "../Custody";
import { IncidentFootage } from "../Footage";
import type { IncidentsApi } from "./api";
import { changedFields, draftOf } from "./draft";
import { describeLocation, formatUtc, formatWindow, INCIDENT_TYPE_LABELS } from "./format";
import { HistoryList } from "./HistoryList";
import { IncidentForm } from "./IncidentForm";
import { LinksSection } from "./LinksSection";
import { PlacePreview } from "./PlacePreview";
import { ReasonButton } from "./ReasonButton";
import { SuggestionsSection } from "./SuggestionsSection";
import { useIncidentDetail } from "./useIncidentDetail";

const CONFLICT = "Someone else changed this incident while you had it open: the latest version is shown now, and your change was not saved. Look at it and make your change again.";

function Fields({ incident }: { incident: Incident }) {
  const rows: [string, string][] = [
    ["Type", INCIDENT_TYPE_LABELS[incident.type] ?? incident.type],
    ["When", formatWindow(incident.start, incident.end)],
    ["Officer in charge", incident.officer],
    ["Place", describeLocation(incident.location)],
    ["Created", `${formatUtc(incident.createdAt)} by ${incident.createdBy}`],
    ["Last changed", `${formatUtc(incident.updatedAt)} by ${incident.updatedBy} (version ${incident.version})`],
  ];
  return (
    <dl className="incident-fields" data-testid="incident-fields">
      {rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
      <div className="incident-fields__notes"><dt>Notes</dt><dd>{incident.notes || "—"}</dd></div>
    </dl>
  );
}

/**
 * One incident: its fields, edit, close/reopen, history, linked flights and footage, and suggestions. `fetchFn`
 * reads the linked footage's names (the session's fetch when absent).
 */
export function IncidentDetailView({ api, id, onBack, fetchFn }: { api: IncidentsApi; id: number; onBack: () => void; fetchFn?: typeof fetch }) {
  const { detail, error, suggestions, suggestionsError, reload } = useIncidentDetail(api, id);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [custodyTick, setCustodyTick] = useState(0);
  const custodyChanged = useCallback(() => setCustodyTick((n) => n + 1), []);
  const custody = useMemo(() => createCustodyApi(fetchFn ?? ((input, init) => fetch(input, { credentials: "same-origin", ...init }))), [fetchFn]);

  // A write refused because the incident moved on: say so, show the new version, leave the user to redo it.
  const guarded = async (write: () => Promise<unknown>) => {
    try {
      await write();
      setNotice(null);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === "version_conflict") {
        setEditing(false);
        setNotice(CONFLICT);
        return;
      }
      throw err;
    } finally {
      reload();
    }
  };

  if (!detail) {
    return (
      <div className="incident-detail">
        <button type="button" className="btn btn--quiet" onClick={onBack}>← All incidents</button>
        {error ? <p className="tone--danger" role="alert">{`This incident could not be loaded: ${error}`}</p> : <p className="empty" role="status">Loading…</p>}
      </div>
    );
  }
  const { incident, history, links } = detail;
  const open = incident.status === "open";
  const save = async (input: IncidentInput) => {
    const changes = changedFields(incident, input);
    if (Object.keys(changes).length === 0) return setEditing(false);
    await guarded(async () => {
      await api.edit(id, { ...changes, version: incident.version });
      setEditing(false);
    });
  };
  const link = open ? (flightId: number, reason: string) => guarded(() => api.link(id, flightId, reason)) : null;
  const unlink = (linkId: number, reason: string) => guarded(() => api.unlink(id, linkId, reason));
  const linkFootage = open ? (footageId: number, reason: string) => guarded(() => api.linkFootage(id, footageId, reason)) : null;

  return (
    <article className="incident-detail" data-testid="incident-detail" aria-label={`Incident ${incident.reference}`}>
      <header className="incident-detail__head">
        <button type="button" className="btn btn--quiet" onClick={onBack}>← All incidents</button>
        <h3 data-testid="incident-title">{`${incident.reference} · ${incident.title}`}</h3>
        <span data-testid="incident-status"><Badge tone={open ? "caution" : "neutral"}>{open ? "Open" : "Closed"}</Badge></span>
        <span className="topbar__spacer" />
        {open && !editing && <button type="button" className="btn btn--small" data-testid="incident-edit" onClick={() => setEditing(true)}>Edit</button>}
        {open
          ? <ReasonButton label="Close" testId="incident-close" onConfirm={(r) => guarded(() => api.close(id, incident.version, r))} />
          : <ReasonButton label="Reopen" testId="incident-reopen" onConfirm={(r) => guarded(() => api.reopen(id, incident.version, r))} />}
      </header>
      {notice && <p className="tone--caution" role="alert" data-testid="incident-notice">{notice}</p>}
      {error && <p className="tone--danger" role="alert">{`Could not reload: ${error}`}</p>}
      {!open && <p className="muted">Closed: reopen it (with a reason) to edit it or link flights to it.</p>}
      {editing
        ? <IncidentForm key={incident.version} initial={draftOf(incident)} submitLabel="Save changes" onSubmit={save} onCancel={() => setEditing(false)} />
        : (
          <div className="incident-detail__body">
            <Fields incident={incident} />
            {incident.location && <PlacePreview location={incident.location} />}
          </div>
        )}
      <LinksSection links={links.filter((l) => l.kind === "flight")} onLink={link} onUnlink={unlink} />
      <IncidentFootage links={links} onLink={linkFootage} onUnlink={unlink} fetchFn={fetchFn} />
      <SuggestionsSection suggestions={suggestions} error={suggestionsError} hasPlace={incident.location !== null} onLink={link} />
      <HistoryList history={history} />
      <ExportSection api={custody} incidentId={id} onActivity={custodyChanged} />
      <CustodySection api={custody} kind="incident" id={id} version={`${incident.version}:${links.length}:${custodyTick}`} />
    </article>
  );
}

