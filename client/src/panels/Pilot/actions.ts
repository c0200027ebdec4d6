import type { Result, VehicleCommandRequest } from "../../../../server/protocol";
import { describeApiError, type Session } from "../../access";
import { TRANSFER_TIMEOUT_MS, VEHICLE_TIMEOUT_MS } from "../../connection";
import type { CommandSender } from "../Commands";
import type { MissionActions } from "../Mission";

/** Largest mission file read in the browser (the server takes 2 MB of JSON). */
export const MAX_MISSION_FILE_BYTES = 1_500_000;

const failed = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

/** Commands travel over the live socket and wait for the vehicle's answer. */
export function commandSender(session: Session): CommandSender {
  return { send: (request: VehicleCommandRequest) => session.call("vehicle:command", request, VEHICLE_TIMEOUT_MS) };
}

/** Saves text as a file in the browser (an object URL clicked by a temporary link). */
export function saveTextFile(fileName: string, mediaType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * What the mission editor does outside itself: transfers over the live socket (minutes for a long mission on a
 * slow radio), files through the server's parser and writer (one implementation for every client).
 */
export function missionActions(session: Session, save: typeof saveTextFile = saveTextFile): MissionActions {
  return {
    upload: (key, plan) => session.call("mission:upload", { key, plan }, TRANSFER_TIMEOUT_MS),
    download: (key) => session.call("mission:download", { key }, TRANSFER_TIMEOUT_MS),
    clear: (key) => session.call("mission:clear", { key }, TRANSFER_TIMEOUT_MS),
    start: (key) => session.call("vehicle:command", { key, command: { kind: "missionStart" }, confirmed: true }, VEHICLE_TIMEOUT_MS),
    async importFile(file) {
      if (file.size > MAX_MISSION_FILE_BYTES) {
        return failed("too_large", `${file.name} is ${(file.size / 1e6).toFixed(1)} MB: mission files are at most 1.5 MB`);
      }
      try {
        const reply = await session.api.importMission({ fileName: file.name, text: await file.text() });
        return { ok: true, value: reply.mission };
      } catch (err) {
        return failed("mission_file_invalid", describeApiError(err));
      }
    },
    async exportFile(plan, format) {
      try {
        const reply = await session.api.exportMission({ plan, format });
        save(reply.fileName, reply.mediaType, reply.text);
        return reply.warnings.length > 0 ? failed("partial", `Saved ${reply.fileName}, but ${reply.warnings.join("; ")}`) : { ok: true, value: undefined };
      } catch (err) {
        return failed("export_failed", describeApiError(err));
      }
    },
  };
}
