import { AlertsStrip } from "./panels/Alerts";
import { MapPanel } from "./panels/Map";
import { TopBar } from "./panels/TopBar";
import { VehicleList } from "./panels/VehicleList";

/** Control-room layout: top bar; vehicle list on the left; map with the alerts strip below it. */
export function App() {
  return (
    <div className="app">
      <TopBar />
      <VehicleList />
      <MapPanel />
      <AlertsStrip />
    </div>
  );
}
