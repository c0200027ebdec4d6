import { useCallback, useEffect, useMemo, useState } from "react";
import type { IncidentInput } from "../../../../server/protocol";
import { hasRole, useSession } from "../../access";
import { useAppStore } from "../../store";
import { cookieFetch, createIncidentsApi } from "./api";
import { emptyDraft } from "./draft";
import { IncidentDetailView } from "./IncidentDetailView";
import { IncidentForm } from "./IncidentForm";
import { IncidentsList } from "./IncidentsList";

/** The incidents' own address: /incidents, /incidents?id=N (one incident), /incidents?new=1 (the form). */
export const isIncidentsPath = (pathname: string) => pathname === "/incidents";

type Screen = { kind: "list" } | { kind: "new" } | { kind: "detail"; id: number };

export function screenOf(search: string): Screen {
  const params = new URLSearchParams(search);
  const id = Number(params.get("id"));
  if (params.has("id") && Number.isInteger(id) && id > 0) return { kind: "detail", id };
  if (params.get("new") === "1") return { kind: "new" };
  return { kind: "list" };
}

const searchOf = (s: Screen) => (s.kind === "detail" ? `?id=${s.id}` : s.kind === "new" ? "?new=1" : "");

export interface IncidentsPageProps {
  /** Defaults to the session's fetch (a 401 ends the session). */
  fetchFn?: typeof fetch;
  search?: string;
  debounceMs?: number;
}

/** The incidents page for reviewers and admins: the list, the new-incident form and one incident. */
export function IncidentsPage({ fetchFn, search = window.location.search, debounceMs }: IncidentsPageProps) {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const fetcher = fetchFn ?? session?.api.guardedFetch ?? cookieFetch;
  const api = useMemo(() => createIncidentsApi(fetcher), [fetcher]);
  const [screen, setScreen] = useState<Screen>(() => screenOf(search));
  // Each screen has its own address (a link to an incident can be shared); Back goes to the previous screen.
  const go = useCallback((next: Screen) => {
    setScreen(next);
    window.history.pushState(null, "", `/incidents${searchOf(next)}`);
  }, []);
  useEffect(() => {
    const onPop = () => setScreen(screenOf(window.location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  if (!hasRole(user, "reviewer") && !hasRole(user, "admin")) {
    return (
      <div className="incidents incidents--refused">
        <p className="tone--danger" role="alert" data-testid="incidents-refused">Incidents are for reviewers and admins: this account may not open them.</p>
        <a className="btn" href="/">Back to live</a>
      </div>
    );
  }
  const create = async (input: IncidentInput) => {
    const created = await api.create(input);
    go({ kind: "detail", id: created.id });
  };
  return (
    <div className="incidents" data-testid="incidents-page">
      <header className="incidents__head">
        <h2 className="panel-title">Incidents</h2>
        <span className="topbar__spacer" />
        <a className="btn btn--quiet" href="/">Live map</a>
      </header>
      {screen.kind === "list" && <IncidentsList api={api} onOpen={(id) => go({ kind: "detail", id })} onNew={() => go({ kind: "new" })} debounceMs={debounceMs} />}
      {screen.kind === "new" && (
        <section aria-label="New incident">
          <h3>New incident</h3>
          <IncidentForm initial={emptyDraft(Date.now())} submitLabel="Create incident" onSubmit={create} onCancel={() => go({ kind: "list" })} />
        </section>
      )}
      {screen.kind === "detail" && <IncidentDetailView key={screen.id} api={api} fetchFn={fetcher} id={screen.id} onBack={() => go({ kind: "list" })} />}
    </div>
  );
}
