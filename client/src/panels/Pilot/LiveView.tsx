import { useMemo, useState } from "react";
import { hasRole, useSession } from "../../access";
import { AdminPanel } from "../Admin";
import { AlertsStrip } from "../Alerts";
import { FlightsPage } from "../Flights";
import { MapPanel, PickPointLayer, type PickedPoint } from "../Map";
import { MissionEditorProvider, MissionMapLayer, type MissionActions } from "../Mission";
import { TopBar } from "../TopBar";
import { VehicleList } from "../VehicleList";
import { selectSelectedVehicle, useAppStore } from "../../store";
import { commandSender, missionActions } from "./actions";
import { SidePanel } from "./SidePanel";

const OFFLINE = { ok: false as const, error: { code: "offline", message: "not connected" } };
const NO_ACTIONS: MissionActions = {
  upload: async () => OFFLINE, download: async () => OFFLINE, clear: async () => OFFLINE, start: async () => OFFLINE,
  importFile: async () => OFFLINE, exportFile: async () => OFFLINE,
};

/**
 * The live screen for every role: top bar, vehicle list, map with alerts below; the selected vehicle's panel on
 * the right. Pilots also get the mission planner (map layer + panel) and the commands of the vehicle they hold.
 */
export function LiveView() {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const showAdmin = useAppStore((s) => s.view === "admin" && hasRole(s.auth.user, "admin"));
  const showFlights = useAppStore((s) => s.view === "flights" && hasRole(s.auth.user, "reviewer"));
  const vehicle = useAppStore(selectSelectedVehicle);
  const key = vehicle?.key ?? null;
  const holder = useAppStore((s) => (key ? s.control[key]?.holder ?? null : null));
  const onVehicle = useAppStore((s) => (key ? s.missions[key] ?? null : null));
  const progress = useAppStore((s) => (key ? s.missionProgress[key] ?? null : null));
  const pilot = hasRole(user, "pilot") && session !== null;
  const canCommand = pilot && user !== null && holder === user.name;
  const actions = useMemo(() => (session ? missionActions(session) : NO_ACTIONS), [session]);
  const sender = useMemo(() => (session ? commandSender(session) : null), [session]);
  const [picking, setPicking] = useState(false);
  const [gotoPoint, setGotoPoint] = useState<PickedPoint | null>(null);

  return (
    <MissionEditorProvider actions={actions} vehicle={vehicle} progress={progress} onVehicle={onVehicle}
      canCommand={canCommand} canDownload={pilot}>
      <div className={key ? "app app--side" : "app"}>
        <TopBar />
        <VehicleList />
        <MapPanel>
          {pilot && <MissionMapLayer />}
          <PickPointLayer active={picking} point={gotoPoint} onPick={(p) => { setGotoPoint(p); setPicking(false); }} />
        </MapPanel>
        <AlertsStrip />
        {key && (
          <SidePanel vehicleKey={key} pilot={pilot} canCommand={canCommand} sender={sender} gotoPoint={gotoPoint}
            onPickGoto={() => { setGotoPoint(null); setPicking(true); }}
            onGotoDone={() => { setGotoPoint(null); setPicking(false); }} />
        )}
        {showAdmin && <AdminPanel />}
        {showFlights && <FlightsPage />}
      </div>
    </MissionEditorProvider>
  );
}
