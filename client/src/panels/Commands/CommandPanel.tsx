import type { CommandProgressEvent, VehicleKey } from "../../../../server/protocol";
import { CommandDeskProvider, useCommandDesk } from "./CommandDesk";
import { CommandLog } from "./CommandStatus";
import { FlightControls } from "./FlightControls";
import { GotoControl } from "./GotoControl";
import { MissionControls } from "./MissionControls";
import { SettingsControls } from "./SettingsControls";
import { StopControls } from "./StopControls";
import type { CommandSender, GotoPoint } from "./types";

export interface CommandPanelProps {
  vehicleKey: VehicleKey;
  sender: CommandSender;
  /** The last IN_PROGRESS report pushed to this pilot ("command:progress"), for any vehicle. */
  progress: CommandProgressEvent | null;
  /** The user holds this vehicle's control: nothing can be sent otherwise. */
  canCommand: boolean;
  /** The point picked on the map after onPickGoto(), null until then. */
  gotoPoint: GotoPoint | null;
  /** Asks the map to let the pilot click a point (then it sets gotoPoint). */
  onPickGoto(): void;
  /** The go-to was sent or abandoned: the map may stop picking and drop its marker. */
  onGotoDone?(): void;
}

export interface CommandControlsProps {
  gotoPoint: GotoPoint | null;
  onPickGoto(): void;
  onGotoDone?(): void;
}

/** Every command but the three stop buttons (StopControls), with the log; inside a CommandDeskProvider. */
export function CommandControls({ gotoPoint, onPickGoto, onGotoDone }: CommandControlsProps) {
  const desk = useCommandDesk();
  const { vehicle, av, blocked, isPending, onCommand, mine, vehicleKey } = desk;
  const latest = mine[0] ?? null;
  const abandonGoto = () => {
    desk.setPicking(false);
    onGotoDone?.();
  };
  return (
    <section className="cmd-panel" aria-label={`Commands for ${vehicleKey}`}>
      <h2 className="panel-title">Commands <span className="cmd-panel__key">{vehicleKey}</span></h2>
      {blocked && <p className="cmd-blocked" data-testid="commands-blocked">{blocked}</p>}
      {vehicle && (
        <>
          <FlightControls vehicle={vehicle} av={av} isPending={isPending} onCommand={onCommand} offer={latest?.forceOffer ? { kind: latest.forceOffer, entryId: latest.id } : null} />
          <SettingsControls vehicle={vehicle} av={av} isPending={isPending} onCommand={onCommand} />
          <GotoControl
            vehicle={vehicle}
            av={av}
            isPending={isPending}
            onCommand={onCommand}
            gotoPoint={blocked ? null : gotoPoint}
            picking={desk.picking}
            onPick={() => {
              desk.setPicking(true);
              onPickGoto();
            }}
            onAbandon={abandonGoto}
          />
          <MissionControls vehicle={vehicle} av={av} isPending={isPending} onCommand={onCommand} />
        </>
      )}
      <CommandLog entries={mine} />
    </section>
  );
}

/**
 * The pilot's commands for one vehicle in one column: the answer to the last command and the stop buttons
 * first, then the rest. Dangerous ones go through a dialog naming the vehicle; each shows "waiting" then the
 * vehicle's answer in words; the last answers stay in a log below. (The live screen places the parts itself.)
 */
export function CommandPanel({ vehicleKey, sender, progress, canCommand, gotoPoint, onPickGoto, onGotoDone }: CommandPanelProps) {
  return (
    <CommandDeskProvider vehicleKey={vehicleKey} sender={sender} progress={progress} canCommand={canCommand} onGotoSent={onGotoDone}>
      <div className="cmd-stop">
        <StopControls />
      </div>
      <CommandControls gotoPoint={gotoPoint} onPickGoto={onPickGoto} onGotoDone={onGotoDone} />
    </CommandDeskProvider>
  );
}
