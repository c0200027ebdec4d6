import { useState } from "react";
import type { CommandProgressEvent, VehicleCommand, VehicleCommandKind, VehicleKey } from "../../../../server/protocol";
import { useAppStore } from "../../store";
import { availability, panelBlock } from "./availability";
import { CommandLog, CommandStatus } from "./CommandStatus";
import { confirmationFor } from "./confirm";
import { ConfirmDialog, FactList } from "./ConfirmDialog";
import { FlightControls } from "./FlightControls";
import { GotoControl } from "./GotoControl";
import { entriesFor, isPending } from "./log";
import { MissionControls } from "./MissionControls";
import { SettingsControls } from "./SettingsControls";
import type { CommandSender, GotoPoint } from "./types";
import { useCommandLog } from "./useCommandLog";

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

interface Ask {
  key: VehicleKey;
  command: VehicleCommand;
}

/**
 * The pilot's commands for one vehicle. Dangerous ones go through a dialog naming the vehicle; each shows
 * "waiting" then the vehicle's answer in words; the last answers stay in a log below.
 */
export function CommandPanel({ vehicleKey, sender, progress, canCommand, gotoPoint, onPickGoto, onGotoDone }: CommandPanelProps) {
  const vehicle = useAppStore((s) => s.vehicles[vehicleKey]) ?? null;
  const { entries, run } = useCommandLog(sender);
  const [ask, setAsk] = useState<Ask | null>(null);
  const [pickingKey, setPickingKey] = useState<VehicleKey | null>(null);
  const blocked = panelBlock(vehicle, canCommand);
  // Losing control (or switching vehicle) closes an open question: it must never be confirmed for the wrong case.
  if (ask && (blocked || ask.key !== vehicleKey)) setAsk(null);

  const mine = entriesFor(entries, vehicleKey);
  const latest = mine[0] ?? null;
  const av = availability(vehicle, canCommand);
  const pending = (kind: VehicleCommandKind) => isPending(entries, vehicleKey, kind);

  const send = (command: VehicleCommand, confirmed: boolean) => {
    if (command.kind === "goto") {
      setPickingKey(null);
      onGotoDone?.();
    }
    void run({ key: vehicleKey, command, ...(confirmed ? { confirmed: true } : {}) });
  };
  const onCommand = (command: VehicleCommand) => {
    if (!vehicle || blocked) return;
    if (confirmationFor(command, vehicle)) setAsk({ key: vehicleKey, command });
    else send(command, false);
  };
  const abandonGoto = () => {
    setPickingKey(null);
    onGotoDone?.();
  };

  const confirmation = ask && vehicle ? confirmationFor(ask.command, vehicle) : null;
  return (
    <section className="cmd-panel" aria-label={`Commands for ${vehicleKey}`}>
      <h2 className="panel-title">Commands <span className="cmd-panel__key">{vehicleKey}</span></h2>
      {blocked && <p className="cmd-blocked" data-testid="commands-blocked">{blocked}</p>}
      <CommandStatus entry={latest} progress={progress} />
      {vehicle && (
        <>
          <FlightControls vehicle={vehicle} av={av} isPending={pending} onCommand={onCommand} offer={latest?.forceOffer ? { kind: latest.forceOffer, entryId: latest.id } : null} />
          <SettingsControls vehicle={vehicle} av={av} isPending={pending} onCommand={onCommand} />
          <GotoControl
            vehicle={vehicle}
            av={av}
            isPending={pending}
            onCommand={onCommand}
            gotoPoint={blocked ? null : gotoPoint}
            picking={pickingKey === vehicleKey}
            onPick={() => {
              setPickingKey(vehicleKey);
              onPickGoto();
            }}
            onAbandon={abandonGoto}
          />
          <MissionControls vehicle={vehicle} av={av} isPending={pending} onCommand={onCommand} />
        </>
      )}
      <CommandLog entries={mine} />
      {ask && confirmation && (
        <ConfirmDialog
          title={confirmation.title}
          body={confirmation.body}
          second={confirmation.second}
          onCancel={() => setAsk(null)}
          onConfirm={() => {
            setAsk(null);
            // Every command that went through the dialog says so; forced ones must (the server refuses them otherwise).
            send(ask.command, true);
          }}
        >
          <FactList facts={confirmation.facts} />
        </ConfirmDialog>
      )}
    </section>
  );
}
