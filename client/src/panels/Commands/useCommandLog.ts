import { useCallback, useRef, useState } from "react";
import type { VehicleCommandRequest } from "../../../../server/protocol";
import { addEntry, finishEntry, type CommandEntry } from "./log";
import { describeCommand, describeOutcome, forceOffer, thrownToResult } from "./outcome";
import type { CommandSender } from "./types";

/**
 * Sends commands and keeps their log. The log lives in the panel (not per vehicle component), so a reply that
 * arrives after the pilot switched vehicles still lands in the right vehicle's log.
 */
export function useCommandLog(sender: CommandSender) {
  const [entries, setEntries] = useState<CommandEntry[]>([]);
  const nextId = useRef(1);

  const run = useCallback(
    async (request: VehicleCommandRequest) => {
      const id = nextId.current++;
      const entry: CommandEntry = {
        id,
        key: request.key,
        command: request.command,
        label: describeCommand(request.command),
        sentAt: Date.now(),
        outcome: null,
        forceOffer: null,
      };
      setEntries((list) => addEntry(list, entry));
      const result = await sender.send(request).catch(thrownToResult);
      setEntries((list) => finishEntry(list, id, describeOutcome(result), forceOffer(request.command, result)));
    },
    [sender],
  );

  return { entries, run };
}
