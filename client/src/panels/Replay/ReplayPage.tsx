import { useMemo } from "react";
import { hasRole, useSession } from "../../access";
import { sameOriginFetch } from "../Flights";
import { useAppStore } from "../../store";
import { ReplayView } from "./ReplayView";
import { parseReplayLink } from "./url";

/**
 * The replay page at /replay?flights=ID,ID&t=ISO[&align=1], for reviewers and admins (the server refuses anyone
 * else; this only says so before trying). The link is read once: the page writes its own moment back into it.
 */
export function ReplayPage() {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const parsed = useMemo(() => parseReplayLink(window.location.search), []);
  const fetchFn = session?.api.guardedFetch ?? sameOriginFetch;
  if (!hasRole(user, "reviewer") && !hasRole(user, "admin")) {
    return <Refusal text="Replay is for reviewers and admins: this account may not open it." />;
  }
  if (!parsed.ok) return <Refusal text={`This replay link cannot be opened: ${parsed.message}.`} />;
  return <ReplayView link={parsed.link} fetchFn={fetchFn} />;
}

function Refusal({ text }: { text: string }) {
  return (
    <div className="replay replay--refused">
      <p className="tone--danger" role="alert" data-testid="replay-refused">{text}</p>
      <a className="btn" href="/">Back to live</a>
    </div>
  );
}
