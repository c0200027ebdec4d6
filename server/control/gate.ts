import type { AuditLog } from "../audit";
import type { Result, VehicleKey } from "../protocol";
import { fail, ok } from "../protocol";
import type { ControlActor, ControlRegistry } from "./registry";

/** Sends a COMMAND_LONG to a vehicle (the ground station), or says why it cannot. */
export type SendCommand = (key: VehicleKey, command: number, params: readonly number[]) => { ok: true; linkId: string } | { ok: false; reason: string };

/** MAV_CMD_REQUEST_MESSAGE and the id of HOME_POSITION: a harmless command that proves the gate. */
export const MAV_CMD_REQUEST_MESSAGE = 512;
export const HOME_POSITION_ID = 242;

/**
 * The only way a command reaches a vehicle: from the user holding its control. Every command, sent or
 * refused, is audited with who, from where, and why not.
 */
export class CommandGate {
  constructor(private readonly deps: { control: ControlRegistry; audit: AuditLog; send: SendCommand }) {}

  send(key: VehicleKey, actor: ControlActor, name: string, command: number, params: readonly number[]): Result<{ result: string }> {
    const { control, audit } = this.deps;
    const holder = control.holderOf(key);
    const detail = { command: name, mavCmd: command, params: [...params] };
    if (holder !== actor.name) {
      const message = holder === null ? `take control of ${key} first` : `held by ${holder}`;
      audit.append({ actor: actor.name, address: actor.address, action: "command_refused", target: key, result: "not_holder",
        detail: { ...detail, holder } });
      return fail("not_holder", message);
    }
    const sent = this.deps.send(key, command, params);
    if (!sent.ok) {
      audit.append({ actor: actor.name, address: actor.address, action: "command_refused", target: key, result: "not_sent",
        detail: { ...detail, reason: sent.reason } });
      return fail("not_sent", sent.reason);
    }
    audit.append({ actor: actor.name, address: actor.address, action: "command", target: key, result: "ok", detail: { ...detail, link: sent.linkId } });
    return ok({ result: "sent" });
  }

  requestHome(key: VehicleKey, actor: ControlActor): Result<{ result: string }> {
    return this.send(key, actor, "request_home", MAV_CMD_REQUEST_MESSAGE, [HOME_POSITION_ID]);
  }
}
