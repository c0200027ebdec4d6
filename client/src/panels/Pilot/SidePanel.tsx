import { useMemo, useState } from "react";
import type { VehicleKey, VehicleState } from "../../../../server/protocol";
import { CommandControls, CommandDeskProvider, FleetActions, StopControls, type CommandSender, type GotoPoint } from "../Commands";
import { InstrumentsPanel } from "../Instruments";
import { MissionPanel } from "../Mission";
import { useAppStore } from "../../store";

export interface SidePanelProps {
  vehicleKey: VehicleKey;
  /** The user may fly (pilot role): commands and the planner are shown. */
  pilot: boolean;
  /** The user holds control of this vehicle. */
  canCommand: boolean;
  sender: CommandSender | null;
  gotoPoint: GotoPoint | null;
  onPickGoto(): void;
  onGotoDone(): void;
}

/**
 * The selected vehicle, beside the map: "Fly" (instruments, commands, fleet actions) and, for pilots, "Plan"
 * (the mission editor). Observers get the instruments alone. For pilots, land, RTL and brake sit above both tabs'
 * content, outside the scrolling part: the commands that save a drone must never be below the fold, whatever
 * the screen size or the tab open.
 */
export function SidePanel({ vehicleKey, pilot, canCommand, sender, gotoPoint, onPickGoto, onGotoDone }: SidePanelProps) {
  const [tab, setTab] = useState<"fly" | "plan">("fly");
  const progress = useAppStore((s) => s.commandProgress[vehicleKey] ?? null);
  const user = useAppStore((s) => s.auth.user);
  const vehicles = useAppStore((s) => s.vehicles);
  const control = useAppStore((s) => s.control);
  const held = useMemo<VehicleState[]>(
    () => Object.values(vehicles).filter((v) => user !== null && control[v.key]?.holder === user.name),
    [vehicles, control, user],
  );
  const showPlan = pilot && tab === "plan";
  const tabs = pilot && (
    <div className="side__tabs" role="tablist">
      <button role="tab" aria-selected={tab === "fly"} className="side__tab" onClick={() => setTab("fly")}>Fly</button>
      <button role="tab" aria-selected={tab === "plan"} className="side__tab" onClick={() => setTab("plan")}>Plan</button>
    </div>
  );
  if (!pilot || !sender) {
    return (
      <aside className="side" aria-label={`Vehicle ${vehicleKey}`}>
        {tabs}
        {showPlan ? <MissionPanel /> : <div className="side__scroll"><InstrumentsPanel vehicleKey={vehicleKey} /></div>}
      </aside>
    );
  }
  return (
    <aside className="side" aria-label={`Vehicle ${vehicleKey}`}>
      <CommandDeskProvider vehicleKey={vehicleKey} sender={sender} progress={progress} canCommand={canCommand} onGotoSent={onGotoDone}>
        <section className="cmd-stop" aria-label={`Stop commands for ${vehicleKey}`} data-testid="stop-commands">
          <StopControls />
        </section>
        {tabs}
        {showPlan ? <MissionPanel /> : (
          <div className="side__scroll">
            <InstrumentsPanel vehicleKey={vehicleKey} />
            <CommandControls gotoPoint={gotoPoint} onPickGoto={onPickGoto} onGotoDone={onGotoDone} />
            {held.length > 1 && <FleetActions vehicles={held} sender={sender} />}
          </div>
        )}
      </CommandDeskProvider>
    </aside>
  );
}
