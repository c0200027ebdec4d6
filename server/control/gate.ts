import type { AuditAction, AuditLog, JsonValue } from "../audit";
import type { CommandReply, Result, VehicleCommand, VehicleCommandRequest, VehicleKey, VehicleState } from "../protocol";
import { fail, ok } from "../protocol";
import type { CommandOutcome, CommandTarget } from "../vehicles";
import type { ControlActor, ControlRegistry } from "./registry";

/** Where to reach a vehicle now (its last link and ids) and its latest state, or why it cannot be reached. */
export type RouteOf = (key: VehicleKey) => { ok: true; target: CommandTarget; vehicle: VehicleState } | { ok: false; reason: string };

/** Runs a pilot command on a reachable vehicle (PilotCommands.run). */
export type RunCommand = (
  target: CommandTarget, vehicle: VehicleState, request: VehicleCommandRequest, onProgress: (progress: number | null) => void,
) => Promise<CommandOutcome>;

/** Things only the holder may do to a vehicle; each has a `_refused` audit action. */
export type GatedAction = "command" | "mission_upload" | "mission_clear";
type Detail = { [key: string]: JsonValue };

export interface Authorised {
  target: CommandTarget;
  vehicle: VehicleState;
}

/**
 * The only way a command or an upload reaches a vehicle: from the user holding its control. Every attempt is
 * audited with who and from where: refused ones with why, sent ones before sending (so a crash mid-command still
 * leaves the record) and again with the vehicle's answer.
 */
export class CommandGate {
  constructor(private readonly deps: {
    control: ControlRegistry; audit: AuditLog; route: RouteOf; run: RunCommand;
    /** Told before a command is sent, so the mode change it causes is known as ours (the alert rules). */
    commanding?: (key: VehicleKey, command: VehicleCommand) => void;
  }) {}

  /** Holder check and route for anything that changes a vehicle; refusals are audited here. */
  authorise(key: VehicleKey, actor: ControlActor, action: GatedAction, detail: Detail): Result<Authorised> {
    const { control, audit } = this.deps;
    const holder = control.holderOf(key);
    if (holder !== actor.name) {
      const message = holder === null ? `take control of ${key} first` : `held by ${holder}`;
      audit.record({ actor: actor.name, address: actor.address, action: `${action}_refused`, target: key, result: "not_holder",
        detail: { ...detail, holder } });
      return fail("not_holder", message);
    }
    const route = this.deps.route(key);
    if (!route.ok) {
      audit.record({ actor: actor.name, address: actor.address, action: `${action}_refused`, target: key, result: "not_sent",
        detail: { ...detail, reason: route.reason } });
      return fail("not_sent", route.reason);
    }
    return ok({ target: route.target, vehicle: route.vehicle });
  }

  /** Where a vehicle is, for what needs no control (reading its mission). */
  route(key: VehicleKey): ReturnType<RouteOf> {
    return this.deps.route(key);
  }

  /** Audits the outcome of an authorised action. */
  record(key: VehicleKey, actor: ControlActor, action: AuditAction, result: string, detail: Detail): void {
    this.deps.audit.record({ actor: actor.name, address: actor.address, action, target: key, result, detail });
  }

  async command(
    request: VehicleCommandRequest, actor: ControlActor, onProgress: (progress: number | null) => void = () => undefined,
  ): Promise<Result<CommandReply>> {
    const { key, command } = request;
    const detail: Detail = { command: { ...command } };
    const forced = (command.kind === "arm" || command.kind === "disarm") && command.force === true;
    if (forced && request.confirmed !== true) {
      this.record(key, actor, "command_refused", "unconfirmed", detail);
      return fail("unconfirmed", `Forced ${command.kind === "arm" ? "arming" : "disarming"} needs a second confirmation`);
    }
    const allowed = this.authorise(key, actor, "command", detail);
    if (!allowed.ok) return allowed;
    const { target, vehicle } = allowed.value;
    this.record(key, actor, "command", "sent", { ...detail, link: target.linkId });
    this.deps.commanding?.(key, command);
    const outcome = await this.deps.run(target, vehicle, request, onProgress);
    this.record(key, actor, "command_result", outcome.ok ? "accepted" : outcome.result, {
      command: command.kind, text: outcome.text, attempts: outcome.attempts,
    });
    if (outcome.ok) return ok({ result: "accepted", text: outcome.text, attempts: outcome.attempts, vehicleTexts: outcome.vehicleTexts });
    // Accepted by the ack but not shown by the heartbeat: the vehicle did not do it.
    return fail(outcome.result === "accepted" ? "unconfirmed" : outcome.result, outcome.text);
  }
}
