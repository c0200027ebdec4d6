import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { CommandProgressEvent, VehicleCommand, VehicleCommandKind, VehicleKey, VehicleState } from "../../../../server/protocol";
import { useAppStore } from "../../store";
import { availability, panelBlock, type Availabilities } from "./availability";
import { confirmationFor } from "./confirm";
import { ConfirmDialog, FactList } from "./ConfirmDialog";
import { entriesFor, isPending, type CommandEntry } from "./log";
import type { CommandSender } from "./types";
import { useCommandLog } from "./useCommandLog";

interface Ask {
  key: VehicleKey;
  command: VehicleCommand;
}

/** What every part of one vehicle's commands shares: the vehicle, what is allowed, the log and the sending. */
export interface CommandDesk {
  vehicleKey: VehicleKey;
  vehicle: VehicleState | null;
  /** Why nothing can be sent, or null. */
  blocked: string | null;
  av: Availabilities;
  /** This vehicle's commands, newest first. */
  mine: CommandEntry[];
  progress: CommandProgressEvent | null;
  isPending(kind: VehicleCommandKind): boolean;
  /** Asks for confirmation when the command needs it, then sends. */
  onCommand(command: VehicleCommand): void;
  /** The pilot is choosing a go-to point on the map for this vehicle. */
  picking: boolean;
  setPicking(picking: boolean): void;
}

/** The provider's own view: sending after the dialog was confirmed is not for the parts to call. */
interface DeskInternal extends CommandDesk {
  sendConfirmed(command: VehicleCommand): void;
}

const DeskContext = createContext<CommandDesk | null>(null);

export interface CommandDeskProviderProps {
  vehicleKey: VehicleKey;
  sender: CommandSender;
  progress: CommandProgressEvent | null;
  canCommand: boolean;
  /** Called when a go-to is sent (the map stops picking). */
  onGotoSent?(): void;
  children: ReactNode;
}

/**
 * Owns the command log and the confirmation dialog of one vehicle, so that parts of its commands can sit in
 * different places of the screen (the stop buttons always in view, the rest in a scrolling column) and still
 * share one log, one "waiting" state and one dialog.
 */
export function CommandDeskProvider({ vehicleKey, sender, progress, canCommand, onGotoSent, children }: CommandDeskProviderProps) {
  const vehicle = useAppStore((s) => s.vehicles[vehicleKey]) ?? null;
  const { entries, run } = useCommandLog(sender);
  const [ask, setAsk] = useState<Ask | null>(null);
  const [pickingKey, setPickingKey] = useState<VehicleKey | null>(null);
  const blocked = panelBlock(vehicle, canCommand);
  // Losing control (or switching vehicle) closes an open question: it must never be confirmed for the wrong case.
  if (ask && (blocked || ask.key !== vehicleKey)) setAsk(null);

  const desk = useMemo<DeskInternal>(() => {
    const send = (command: VehicleCommand, confirmed: boolean) => {
      if (command.kind === "goto") {
        setPickingKey(null);
        onGotoSent?.();
      }
      void run({ key: vehicleKey, command, ...(confirmed ? { confirmed: true } : {}) });
    };
    return {
      vehicleKey, vehicle, blocked, progress,
      av: availability(vehicle, canCommand),
      mine: entriesFor(entries, vehicleKey),
      isPending: (kind) => isPending(entries, vehicleKey, kind),
      onCommand: (command) => {
        if (!vehicle || blocked) return;
        if (confirmationFor(command, vehicle)) setAsk({ key: vehicleKey, command });
        else send(command, false);
      },
      sendConfirmed: (command) => send(command, true),
      picking: pickingKey === vehicleKey,
      setPicking: (picking) => setPickingKey(picking ? vehicleKey : null),
    };
  }, [vehicleKey, vehicle, blocked, progress, canCommand, entries, run, onGotoSent, pickingKey]);

  const confirmation = ask && vehicle ? confirmationFor(ask.command, vehicle) : null;
  return (
    <DeskContext.Provider value={desk}>
      {children}
      {ask && confirmation && (
        <ConfirmDialog
          title={confirmation.title}
          body={confirmation.body}
          second={confirmation.second}
          onCancel={() => setAsk(null)}
          onConfirm={() => {
            setAsk(null);
            // Every command that went through the dialog says so; forced ones must (the server refuses them otherwise).
            desk.sendConfirmed(ask.command);
          }}
        >
          <FactList facts={confirmation.facts} />
        </ConfirmDialog>
      )}
    </DeskContext.Provider>
  );
}

export function useCommandDesk(): CommandDesk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error("useCommandDesk needs a <CommandDeskProvider> above it");
  return desk;
}
