import type { LinkEvent, PackedTrail, StatusTextEvent, TrailPoint, VehicleKey, VehicleState } from "../protocol";
import { copyVehicle } from "../protocol";

import type { Decoded } from "../mavlink";
import { mavCmdName } from "../mavlink";
import { ReceptionStats } from "./health";
import type { ReceptionDump } from "./health";
import { reduceVehicle } from "./reducer";
import { Track } from "./track";
import { emptyVehicle } from "./state";

/**
 * A last bound on what the registry holds; the ground station's admission (VehicleAdmission) decides which
 * system ids are vehicles and evicts them, with its own, configurable, limit.
 */
const MAX_VEHICLES = 256;

interface Entry {
  state: VehicleState;
  /**
   * Whether `state` has been handed out (by current() or dump()). One that has not is the reducer's fresh copy that
   * nothing else holds, so current() can set its link health in place instead of copying it again.
   */
  shared: boolean;
  stats: ReceptionStats;
  lost: boolean;
  dirty: boolean;
  /** Recent track, oldest first, bounded; its points are made afresh whenever handed out. */
  trail: Track;
}

/** Every vehicle's state as plain data (JSON): a replay's seek checkpoint, restored by restore(). */
export interface RegistryDump {
  vehicles: { state: VehicleState; stats: ReceptionDump; lost: boolean; trail: TrailPoint[] }[];
}

/** A vehicle's COMMAND_ACK, whoever sent the command (the alert rules raise refusals). */
export interface CommandAckEvent {
  key: VehicleKey;
  time: number;
  command: number;
  /** "DO_REPOSITION", or "CMD(n)" for a command the dialect does not name. */
  commandName: string;
  result: number;
  /** "FAILED", "DENIED"... */
  resultName: string;
}

export interface RegistryListeners {
  statusText?: (event: StatusTextEvent) => void;
  commandAck?: (event: CommandAckEvent) => void;
  link?: (event: LinkEvent) => void;
  /** A new vehicle was ignored because the registry is full (forged or misconfigured system ids). */
  rejected?: (key: VehicleKey) => void;
  /** A point added to a vehicle's trail (a replay's index keeps them apart from its checkpoints). */
  trailPoint?: (key: VehicleKey, point: TrailPoint) => void;
  /** A vehicle's HEARTBEAT on a link; `isNew` on the first one, `regained` after it was lost. */
  heartbeat?: (key: VehicleKey, linkId: string, info: { isNew: boolean; regained: boolean }) => void;
}

/**
 * Every vehicle heard, keyed by (sysid, compid) across all links. A vehicle exists from its first
 * vehicle HEARTBEAT (ground stations, gimbals and companion computers are not vehicles); messages from an
 * unknown (sysid, compid) before that are ignored, as QGroundControl does.
 */
export class VehicleRegistry {
  private readonly entries = new Map<number, Entry>();
  /** Vehicles removed since the last takeRemoved(), for the screens to drop them. */
  private removed: VehicleKey[] = [];
  private readonly listeners: RegistryListeners;

  constructor(private readonly opts: { lostAfterMs: number; maxVehicles?: number }, listeners: RegistryListeners = {}) {
    this.listeners = listeners;
  }

  ingest(decoded: Decoded, linkId: string, frameLength: number, time: number): void {
    const id = decoded.sysid * 256 + decoded.compid;
    let entry = this.entries.get(id);
    const message = decoded.message;
    let isNew = false;
    if (!entry) {
      if (message.kind !== "heartbeat" || !message.isVehicle) return;
      if (this.entries.size >= (this.opts.maxVehicles ?? MAX_VEHICLES)) {
        this.listeners.rejected?.(`${decoded.sysid}:${decoded.compid}`);
        return;
      }
      entry = { state: emptyVehicle(decoded, time), shared: false, stats: new ReceptionStats(), lost: false, dirty: true, trail: new Track() };
      this.entries.set(id, entry);
      isNew = true;
    }
    entry.stats.record(linkId, decoded.seq, frameLength, time);
    if (message.kind === "commandAck") {
      this.listeners.commandAck?.({ key: entry.state.key, time, command: message.command, commandName: mavCmdName(message.command),
        result: message.result, resultName: message.resultName });
    }
    const lastHeartbeat = entry.state.link.lastHeartbeat;
    const next = reduceVehicle(entry.state, message, time);
    if (next === entry.state) return;
    const p = next.position;
    if (p && p !== entry.state.position && entry.trail.add(p.lat, p.lon, p.altAmsl, time)) {
      const listener = this.listeners.trailPoint;
      if (listener) listener(next.key, entry.trail.last()!);
    }
    entry.state = next;
    entry.shared = false;
    entry.dirty = true;
    if (message.kind === "statusText") {
      const status = next.statusTexts[next.statusTexts.length - 1];
      if (status) this.listeners.statusText?.({ key: next.key, status });
    } else if (message.kind === "heartbeat" && message.isVehicle) {
      const regained = entry.lost;
      if (regained) {
        entry.lost = false;
        // The outage runs from the last heartbeat before the loss to this one (the loss was declared later).
        this.listeners.link?.({ key: next.key, state: "regained", time, heartbeatAgeMs: 0, outageMs: time - lastHeartbeat });
      }
      this.listeners.heartbeat?.(next.key, linkId, { isNew, regained });
    }
  }

  /** Marks vehicles lost after `lostAfterMs` without a HEARTBEAT; call once per tick. */
  sweep(time: number): void {
    for (const entry of this.entries.values()) {
      const age = time - entry.state.link.lastHeartbeat;
      if (!entry.lost && age > this.opts.lostAfterMs) {
        entry.lost = true;
        entry.dirty = true;
        this.listeners.link?.({ key: entry.state.key, state: "lost", time, heartbeatAgeMs: age });
      }
    }
  }

  /** The vehicles that changed since the last call, with link health as of `time`. */
  takeChanged(time: number): VehicleState[] {
    const changed: VehicleState[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.dirty) continue;
      entry.dirty = false;
      changed.push(this.current(entry, time));
    }
    return changed;
  }

  snapshot(time: number): VehicleState[] {
    return [...this.entries.values()]
      .map((entry) => this.current(entry, time))
      .sort((a, b) => a.sysid - b.sysid || a.compid - b.compid);
  }

  /** Each vehicle's recent track (copies). */
  trails(): Record<VehicleKey, TrailPoint[]> {
    const out: Record<VehicleKey, TrailPoint[]> = {};
    for (const entry of this.entries.values()) out[entry.state.key] = entry.trail.points();
    return out;
  }

  /** The vehicles with at least one trail point. */
  trailKeys(): VehicleKey[] {
    const out: VehicleKey[] = [];
    for (const entry of this.entries.values()) if (entry.trail.length > 0) out.push(entry.state.key);
    return out;
  }

  /** A vehicle's trail as screens get it (simplified within `toleranceM`, packed: Track.packed), or null if unknown. */
  packedTrail(key: VehicleKey, toleranceM: number): PackedTrail | null {
    return this.entryOf(key)?.trail.packed(toleranceM) ?? null;
  }

  /** A vehicle as it is now, with link health as of `time`. */
  get(key: VehicleKey, time: number): VehicleState | undefined {
    const entry = this.entryOf(key);
    return entry ? this.current(entry, time) : undefined;
  }

  private entryOf(key: VehicleKey): Entry | undefined {
    const [sysid, compid] = key.split(":").map(Number);
    const entry = this.entries.get(sysid! * 256 + compid!);
    return entry && entry.state.key === key ? entry : undefined;
  }

  /** Copies of every vehicle's state, statistics and trail. */
  dump(): RegistryDump {
    return {
      vehicles: [...this.entries.values()].map((e) => {
        e.shared = true;
        return { state: e.state, stats: e.stats.dump(), lost: e.lost, trail: e.trail.points() };
      }),
    };
  }

  /** Replaces everything with a dump: the registry goes on as if it had been fed what made the dump. */
  restore(d: RegistryDump): void {
    this.entries.clear();
    this.removed = [];
    for (const v of d.vehicles) {
      this.entries.set(v.state.sysid * 256 + v.state.compid, {
        state: v.state, shared: true, stats: ReceptionStats.restore(v.stats), lost: v.lost, dirty: true, trail: Track.of(v.trail),
      });
    }
  }

  /** Forgets a vehicle (evicted by admission): its state, trail and slot. */
  remove(key: VehicleKey): boolean {
    const [sysid, compid] = key.split(":").map(Number) as [number, number];
    if (!this.entries.delete(sysid * 256 + compid)) return false;
    this.removed.push(key);
    return true;
  }

  /** The vehicles removed since the last call. */
  takeRemoved(): VehicleKey[] {
    const out = this.removed;
    this.removed = [];
    return out;
  }

  get size(): number {
    return this.entries.size;
  }

  private current(entry: Entry, time: number): VehicleState {
    // Every state handed out stays as it was handed out: one already out is copied, a fresh one is completed in place.
    const next = entry.shared ? copyVehicle(entry.state) : entry.state;
    next.link = entry.stats.apply(entry.state.link, time, this.opts.lostAfterMs);
    entry.state = next;
    entry.shared = true;
    return next;
  }
}

