import { useCallback, useEffect, useMemo, useState } from "react";
import { hasRole, useSession } from "../../access";
import { useAppStore } from "../../store";
import { createFootageApi } from "./api";
import { FootageDetail } from "./FootageDetail";
import { FootageList } from "./FootageList";
import { UploadPanel } from "./UploadPanel";
import { useUploads } from "./useUploads";

/** The footage's own address: /footage (upload and list) and /footage?id=N (one file). */
export const isFootagePath = (pathname: string) => pathname === "/footage";

type Screen = { kind: "list" } | { kind: "detail"; id: number };

export function footageScreenOf(search: string): Screen {
  const params = new URLSearchParams(search);
  const id = Number(params.get("id"));
  return params.has("id") && Number.isInteger(id) && id > 0 ? { kind: "detail", id } : { kind: "list" };
}

const sameOrigin: typeof fetch = (input, init) => fetch(input, { credentials: "same-origin", ...init });

export interface FootagePageProps {
  /** Defaults to the session's fetch (a 401 ends the session). */
  fetchFn?: typeof fetch;
  search?: string;
}

/** Footage for reviewers and admins: uploads, the stored files, and one file with its player and sync. */
export function FootagePage({ fetchFn, search = window.location.search }: FootagePageProps) {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const fetcher = fetchFn ?? session?.api.guardedFetch ?? sameOrigin;
  const api = useMemo(() => createFootageApi(fetcher), [fetcher]);
  const [screen, setScreen] = useState<Screen>(() => footageScreenOf(search));
  const [version, setVersion] = useState(0);
  const stored = useCallback(() => setVersion((v) => v + 1), []);
  // Uploads live at the page, not the list: opening a file's detail does not stop them.
  const uploads = useUploads(api, stored);
  const go = useCallback((next: Screen) => {
    setScreen(next);
    window.history.pushState(null, "", next.kind === "detail" ? `/footage?id=${next.id}` : "/footage");
  }, []);
  useEffect(() => {
    const onPop = () => setScreen(footageScreenOf(window.location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  if (!hasRole(user, "reviewer") && !hasRole(user, "admin")) {
    return (
      <div className="footage footage--refused">
        <p className="tone--danger" role="alert" data-testid="footage-refused">Footage is for reviewers and admins: this account may not open it.</p>
        <a className="btn" href="/">Back to live</a>
      </div>
    );
  }
  return (
    <div className="footage" data-testid="footage-page">
      <header className="footage__head">
        <h2 className="panel-title">Footage</h2>
        <span className="topbar__spacer" />
        <a className="btn btn--quiet" href="/incidents">Incidents</a>
        <a className="btn btn--quiet" href="/">Live map</a>
      </header>
      <UploadPanel uploads={uploads} />
      {screen.kind === "list" && <FootageList api={api} version={version} onOpen={(id) => go({ kind: "detail", id })} />}
      {screen.kind === "detail" && <FootageDetail key={screen.id} api={api} id={screen.id} onBack={() => go({ kind: "list" })} />}
    </div>
  );
}
