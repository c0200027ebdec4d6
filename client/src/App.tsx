import { hasRole } from "./access";
import { AdminPanel } from "./panels/Admin";
import { AlertsStrip } from "./panels/Alerts";
import { LoginPage } from "./panels/Login";
import { MapPanel } from "./panels/Map";
import { TopBar } from "./panels/TopBar";
import { VehicleList } from "./panels/VehicleList";
import { useAppStore } from "./store";

/** Control-room layout: top bar; vehicle list on the left; map with the alerts strip below it. */
function LiveView() {
  const showAdmin = useAppStore((s) => s.view === "admin" && hasRole(s.auth.user, "admin"));
  return (
    <div className="app">
      <TopBar />
      <VehicleList />
      <MapPanel />
      <AlertsStrip />
      {showAdmin && <AdminPanel />}
    </div>
  );
}

/** Nothing live is shown (or connected) without a session: the login page comes first. */
export function App() {
  const status = useAppStore((s) => s.auth.status);
  switch (status) {
    case "checking":
      return <p className="splash" role="status">Checking your session…</p>;
    case "signed_out":
      return <LoginPage />;
    case "signed_in":
      return <LiveView />;
  }
}
