import { createContext, type Dispatch, type ReactNode, useContext, useMemo, useReducer } from "react";
import type {
  CommandReply, LatLon, Mission, MissionProgress, MissionProgressEvent, MissionUploadReply, Result, VehicleKey, VehicleMissionInfo,
} from "../../../../server/protocol";
import { sameMission } from "./compare";
import { type EditorAction, editorReducer, type EditorState, initialEditorState } from "./reducer";
import { missionStats, type MissionStats } from "./stats";
import { useFollowVehicleMission } from "./useFollowVehicleMission";
import { type Problem, validateMission } from "./validation";

/** What the editor asks of the outside world; the app wires it to the socket and the HTTP file routes. */
export interface MissionActions {
  upload(key: VehicleKey, plan: Mission): Promise<Result<MissionUploadReply>>;
  download(key: VehicleKey): Promise<Result<VehicleMissionInfo>>;
  clear(key: VehicleKey): Promise<Result<VehicleMissionInfo>>;
  /** The server parses .plan / .waypoints. */
  importFile(file: File): Promise<Result<Mission>>;
  /** The server writes the file, the browser downloads it. */
  exportFile(plan: Mission, format: "plan" | "waypoints"): Promise<Result<void>>;
  /** Starts the mission (AUTO). */
  start(key: VehicleKey): Promise<Result<CommandReply>>;
}

/** The vehicle the plan is for. A VehicleState fits as it is. */
export interface MissionVehicle {
  key: VehicleKey;
  home: { lat: number; lon: number; altAmsl: number } | null;
  armed: boolean;
  /** VehicleState.mission: the item flown and the items reached in this run. */
  mission?: MissionProgress | null;
}

export interface MissionEditorProviderProps {
  actions: MissionActions;
  /** The selected vehicle, or null: the draft can be edited without one, but not sent anywhere. */
  vehicle: MissionVehicle | null;
  /** The latest transfer progress for the selected vehicle. */
  progress: MissionProgressEvent | null;
  /** What is verified on the selected vehicle. */
  onVehicle: VehicleMissionInfo | null;
  /** The user holds control of the vehicle: upload, clear and start need it. */
  canCommand: boolean;
  /** The user may read the vehicle's mission (the pilot role). */
  canDownload?: boolean;
  /** Legal ceiling above home for validation, metres. */
  maxAltitudeM?: number;
  /** Starting draft (tests, or a draft kept across remounts by the app). */
  initialDraft?: Mission;
  /**
   * Read the selected vehicle's mission when it is selected and when its mission changes, and show it while the
   * draft is not being edited (the live screen; off by default so a test controls every read).
   */
  followVehicle?: boolean;
  children: ReactNode;
}

export interface MissionEditorValue {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  actions: MissionActions;
  vehicle: MissionVehicle | null;
  /** Where the flight starts: the vehicle's home when known (it overwrites item 0), else the draft's. */
  home: LatLon | null;
  progress: MissionProgressEvent | null;
  onVehicle: VehicleMissionInfo | null;
  canCommand: boolean;
  canDownload: boolean;
  problems: Problem[];
  stats: MissionStats;
  /** The draft means the same as the plan verified on the vehicle. */
  inSync: boolean;
}

const MissionEditorContext = createContext<MissionEditorValue | null>(null);

export function MissionEditorProvider(props: MissionEditorProviderProps) {
  const { actions, progress, onVehicle, canCommand, canDownload = true, maxAltitudeM = 120, initialDraft, followVehicle = false, children } = props;
  const [state, dispatch] = useReducer(editorReducer, initialDraft, initialEditorState);

  // Keyed on primitives: the app may pass a fresh VehicleState every frame, and the editor must not re-render for it.
  const key = props.vehicle?.key ?? null;
  const armed = props.vehicle?.armed ?? null;
  const vh = props.vehicle?.home ?? null;
  const [vLat, vLon, vAlt] = [vh?.lat ?? null, vh?.lon ?? null, vh?.altAmsl ?? null];
  const flight = useStableProgress(props.vehicle?.mission ?? null);
  const vehicle = useMemo<MissionVehicle | null>(
    () => (key === null ? null : { key, armed: armed ?? false, home: vLat !== null && vLon !== null ? { lat: vLat, lon: vLon, altAmsl: vAlt ?? 0 } : null, mission: flight }),
    [key, armed, vLat, vLon, vAlt, flight],
  );

  const { draft } = state;
  const dHome = draft.home;
  const home = useMemo<LatLon | null>(() => {
    if (vLat !== null && vLon !== null) return { lat: vLat, lon: vLon };
    return dHome ? { lat: dHome.lat, lon: dHome.lon } : null;
  }, [vLat, vLon, dHome]);

  const derived = useMemo(() => {
    const planned: Mission = home ? { ...draft, home: { ...home, altAmsl: draft.home?.altAmsl ?? vAlt ?? 0 } } : draft;
    return {
      stats: missionStats(planned),
      problems: validateMission(planned, { maxAltitudeM, onGround: armed === null ? null : !armed }),
    };
  }, [draft, home, vAlt, maxAltitudeM, armed]);

  const verified = onVehicle && onVehicle.key === key ? onVehicle : null;
  const ownProgress = progress && progress.key === key ? progress : null;
  useFollowVehicleMission({
    enabled: followVehicle && canDownload, key, total: flight?.total ?? null, known: verified,
    transferring: ownProgress !== null && (ownProgress.stage === "transfer" || ownProgress.stage === "verifying"),
    download: actions.download, draft, dispatch,
  });
  const inSync = useMemo(() => verified?.plan != null && sameMission(draft, verified.plan), [draft, verified]);

  const value = useMemo<MissionEditorValue>(
    () => ({ state, dispatch, actions, vehicle, home, progress: ownProgress, onVehicle: verified, canCommand, canDownload, ...derived, inSync }),
    [state, actions, vehicle, home, ownProgress, verified, canCommand, canDownload, derived, inSync],
  );
  return <MissionEditorContext.Provider value={value}>{children}</MissionEditorContext.Provider>;
}

/** The same MissionProgress object for as long as its content is the same (frames bring new objects). */
function useStableProgress(p: MissionProgress | null): MissionProgress | null {
  const id = p ? `${p.current}|${p.total}|${p.state}|${p.reached.join(",")}` : "";
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the content on purpose
  return useMemo(() => p, [id]);
}

export function useMissionEditor(): MissionEditorValue {
  const value = useContext(MissionEditorContext);
  if (!value) throw new Error("useMissionEditor needs a <MissionEditorProvider> above it");
  return value;
}
