import { CommandButton } from "./CommandButton";
import { useCommandDesk } from "./CommandDesk";
import { CommandStatus } from "./CommandStatus";

/**
 * The three commands that save a drone (land, return to launch, brake) and the answer to the last command.
 * Kept apart from the other commands so the screen can hold them in view whatever else is open.
 */
export function StopControls() {
  const { vehicle, av, isPending, onCommand, mine, progress } = useCommandDesk();
  return (
    <>
      <CommandStatus entry={mine[0] ?? null} progress={progress} />
      {vehicle && (
        <div className="cmd-row cmd-row--stop" role="group" aria-label="Stop the flight">
          <CommandButton label="Land" availability={av.land} pending={isPending("land")} onClick={() => onCommand({ kind: "land" })} />
          <CommandButton label="RTL" availability={av.rtl} pending={isPending("rtl")} onClick={() => onCommand({ kind: "rtl" })} />
          <CommandButton label="Brake" availability={av.brake} pending={isPending("brake")} onClick={() => onCommand({ kind: "brake" })} />
        </div>
      )}
    </>
  );
}
