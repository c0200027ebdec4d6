import { CustodyRoute, isCustodyPath } from "./panels/Custody";
import { FootagePage, isFootagePath } from "./panels/Footage";
import { IncidentsPage, isIncidentsPath } from "./panels/Incidents";
import { LoginPage } from "./panels/Login";
import { LiveView } from "./panels/Pilot";
import { isReportPath, ReportRoute } from "./panels/Report";
import { isReplayPath, ReplayPage } from "./panels/Replay";
import { useAppStore } from "./store";

/** Nothing live is shown (or connected) without a session: the login page comes first. */
export function App() {
  const status = useAppStore((s) => s.auth.status);
  switch (status) {
    case "checking":
      return <p className="splash" role="status">Checking your session…</p>;
    case "signed_out":
      return <LoginPage />;
    case "signed_in":
      if (isReplayPath(window.location.pathname)) return <ReplayPage />;
      // The printable flight report opens on its own page (/report?flight=ID), without the live screen around it.
      if (isReportPath(window.location.pathname)) return <ReportRoute />;
      if (isIncidentsPath(window.location.pathname)) return <IncidentsPage />;
      // The printable custody report of an incident, flight or footage file (/custody?incident=ID).
      if (isCustodyPath(window.location.pathname)) return <CustodyRoute />;
      if (isFootagePath(window.location.pathname)) return <FootagePage />;
      return <LiveView />;
  }
}
