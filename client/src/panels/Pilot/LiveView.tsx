import { useMemo, useState } from "react";
import { hasRole, useSession } from "../../access";
import { AdminPanel } from "../Admin";
import { AlertsStrip } from "../Alerts";
import { FlightsPage } from "../Flights";
import { MapPanel, PickPointLayer, pointsBounds, type MapFitRequest, type PickedPoint } from "../Map";
import { MissionEditorProvider, MissionMapLayer, missionPoints, useMissionEditor, type MissionActions } from "../Mission";
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
 * the right. Pilots also get the mission planner (map layer + panel) and the commands of the vehicle they hold;
 * the planner follows the selected vehicle's own mission.
 */
export function LiveView() {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const vehicle = useAppStore(selectSelectedVehicle);
  const key = vehicle?.key ?? null;
  const holder = useAppStore((s) => (key ? s.control[key]?.holder ?? null : null));
  const onVehicle = useAppStore((s) => (key ? s.missions[key] ?? null : null));
  const progress = useAppStore((s) => (key ? s.missionProgress[key] ?? null : null));
  const pilot = hasRole(user, "pilot") && session !== null;
  const canCommand = pilot && user !== null && holder === user.name;
  const actions = useMemo(() => (session ? missionActions(session) : NO_ACTIONS), [session]);

  return (
    <MissionEditorProvider actions={actions} vehicle={vehicle} progress={progress} onVehicle={onVehicle}
      canCommand={canCommand} canDownload={pilot} followVehicle>
      <LiveLayout pilot={pilot} canCommand={canCommand} />
    </MissionEditorProvider>
  );
}

function LiveLayout({ pilot, canCommand }: { pilot: boolean; canCommand: boolean }) {
  const session = useSession();
  const showAdmin = useAppStore((s) => s.view === "admin" && hasRole(s.auth.user, "admin"));
  const showFlights = useAppStore((s) => s.view === "flights" && hasRole(s.auth.user, "reviewer"));
  const key = useAppStore((s) => selectSelectedVehicle(s)?.key ?? null);
  const sender = useMemo(() => (session ? commandSender(session) : null), [session]);
  const [picking, setPicking] = useState(false);
  const [gotoPoint, setGotoPoint] = useState<PickedPoint | null>(null);
  const { state } = useMissionEditor();
  const { draft, loads } = state;
  // The map fits to the plan when another vehicle is selected or a whole plan is loaded, not on each edit.
  const fit = useMemo<MapFitRequest | undefined>(
    () => (pilot ? { key: `${key ?? ""}|${loads}`, bounds: pointsBounds(missionPoints(draft)) } : undefined),
    [pilot, key, loads, draft],
  );

  return (
    <div className={key ? "app app--side" : "app"}>
      <TopBar />
      <VehicleList />
      <MapPanel fit={fit}>
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
  );
}
