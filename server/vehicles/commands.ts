/**
 * The ground station's command client: sends COMMAND_LONG / COMMAND_INT to one vehicle and says the outcome in
 * words for the pilot (the exchange itself: commands-exchange.ts). setMode / arm / disarm are confirmed by the
 * vehicle's next HEARTBEAT, not by the ack alone (commands-confirm.ts).
 *
 * Everything it touches is injected: the sending (GroundStation.sendOn), the decoded messages
 * (GroundStation.onMessage) and the clock/timers, so tests drive it on a virtual clock.
 */
import type { VehicleClass } from "../protocol";
import type { Decoded } from "../mavlink";
import { ARM_FORCE_MAGIC, MAV_CMD, MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, modeNumber } from "../mavlink";
import { VehicleListeners } from "./listeners";
import type { CommandClock } from "./commands-clock";
import { REAL_CLOCK } from "./commands-clock";
import type { CommandClientDeps, CommandRequest, CommandTarget, SendOptions } from "./commands-options";
import type { CommandOutcome } from "./commands-results";
import { sendConfirmed } from "./commands-confirm";
import type { ConfirmContext } from "./commands-confirm";
import { exchangeCommand } from "./commands-exchange";
import type { ExchangeContext } from "./commands-exchange";

// Importers find the whole command vocabulary here.
export { REAL_CLOCK } from "./commands-clock";
export type { CommandClock, TimerHandle } from "./commands-clock";
export { COMMAND_DEFAULTS } from "./commands-options";
export type { CommandClientDeps, CommandRequest, CommandTarget, SendOptions } from "./commands-options";
export type { CommandOutcome, CommandResult } from "./commands-results";

type Listener = (decoded: Decoded) => void;

interface InFlight {
  signature: string;
  promise: Promise<CommandOutcome>;
  progressListeners: ((progress: number | null) => void)[];
}

function vehicleId(sysid: number, compid: number): string {
  return `${sysid}:${compid}`;
}

export class CommandClient {
  private readonly clock: CommandClock;
  private readonly listeners = new VehicleListeners();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly classes = new Map<string, VehicleClass>();
  private readonly unsubscribe: () => void;
  private readonly exchange: ExchangeContext;
  private readonly confirm: ConfirmContext;

  constructor(deps: CommandClientDeps) {
    this.clock = deps.clock ?? REAL_CLOCK;
    const listen = (target: CommandTarget, listener: Listener): (() => void) =>
      this.listeners.add(target.sysid, target.compid, listener);
    this.exchange = { clock: this.clock, send: (linkId, messages) => deps.send(linkId, messages), listen };
    this.confirm = { clock: this.clock, send: (target, request, opts) => this.send(target, request, opts), listen };
    this.unsubscribe = deps.onMessage((decoded) => this.observe(decoded));
  }

  /** Stops listening (pending commands then end in "timeout"). */
  close(): void {
    this.unsubscribe();
  }

  /**
   * Sends a command and resolves with the vehicle's answer. A second request for the same command to the same
   * vehicle while the first waits joins it (same parameters) or is turned down (different parameters).
   */
  send(target: CommandTarget, request: CommandRequest, opts: SendOptions = {}): Promise<CommandOutcome> {
    const key = `${vehicleId(target.sysid, target.compid)}:${request.command}`;
    const signature = JSON.stringify(request);
    const existing = this.inFlight.get(key);
    if (existing) {
      if (existing.signature !== signature) {
        return Promise.resolve({
          ok: false, result: "temporarily_rejected", attempts: 0, vehicleTexts: [],
          text: "Another request for this command is still waiting for the vehicle's answer",
        });
      }
      if (opts.onProgress) existing.progressListeners.push(opts.onProgress);
      return existing.promise;
    }
    const progressListeners = opts.onProgress ? [opts.onProgress] : [];
    const entry: InFlight = {
      signature, progressListeners,
      promise: exchangeCommand(this.exchange, target, request, opts, progressListeners).finally(() => {
        if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      }),
    };
    this.inFlight.set(key, entry);
    return entry.promise;
  }

  /** DO_SET_MODE; ok only when acked ACCEPTED and a later HEARTBEAT shows the mode within 3 s. */
  async setMode(target: CommandTarget, modeName: string, opts: SendOptions = {}): Promise<CommandOutcome> {
    const vehicleClass = target.vehicleClass ?? this.classes.get(vehicleId(target.sysid, target.compid));
    const mode = vehicleClass === undefined ? null : modeNumber(vehicleClass, modeName);
    if (mode === null) {
      return {
        ok: false, result: "failed", attempts: 0, vehicleTexts: [],
        text: vehicleClass === undefined
          ? "Unknown vehicle type (no heartbeat yet): cannot choose a mode number"
          : `No mode ${modeName} on this vehicle`,
      };
    }
    return sendConfirmed(
      this.confirm, target,
      { kind: "long", command: MAV_CMD.DO_SET_MODE, params: [MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, mode] },
      opts,
      (d) => d.message.kind === "heartbeat" && d.message.customMode === mode,
      "The vehicle acknowledged but did not change mode",
    );
  }

  /** COMPONENT_ARM_DISARM(1); force (param2 21196) only when asked. Confirmed by the heartbeat's armed flag. */
  arm(target: CommandTarget, opts: SendOptions & { force?: boolean } = {}): Promise<CommandOutcome> {
    return this.armDisarm(target, true, opts);
  }

  disarm(target: CommandTarget, opts: SendOptions & { force?: boolean } = {}): Promise<CommandOutcome> {
    return this.armDisarm(target, false, opts);
  }

  /** NAV_TAKEOFF to `altM` metres above home (ArduCopter: in GUIDED, armed, on the ground). */
  takeoff(target: CommandTarget, altM: number, opts: SendOptions = {}): Promise<CommandOutcome> {
    return this.send(target, { kind: "long", command: MAV_CMD.NAV_TAKEOFF, params: [0, 0, 0, 0, 0, 0, altM] }, opts);
  }

  private armDisarm(target: CommandTarget, arm: boolean, opts: SendOptions & { force?: boolean }): Promise<CommandOutcome> {
    const { force, ...sendOpts } = opts;
    return sendConfirmed(
      this.confirm, target,
      { kind: "long", command: MAV_CMD.COMPONENT_ARM_DISARM, params: [arm ? 1 : 0, force ? ARM_FORCE_MAGIC : 0] },
      sendOpts,
      (d) => d.message.kind === "heartbeat" && d.message.armed === arm,
      arm ? "The vehicle acknowledged but did not arm" : "The vehicle acknowledged but did not disarm",
    );
  }

  private observe(decoded: Decoded): void {
    const id = vehicleId(decoded.sysid, decoded.compid);
    if (decoded.message.kind === "heartbeat" && decoded.message.isVehicle) {
      this.classes.set(id, decoded.message.vehicleClass);
    }
    for (const listener of this.listeners.of(decoded)) listener(decoded);
  }
}
