/**
 * The vehicle side of the MAVLink mission protocol, as ArduPilot's MissionItemProtocol does it (and as recorded in
 * copter_flight_1_mission_protocol.txt): uploads are pulled item by item with the deprecated MISSION_REQUEST (40),
 * downloads are stateless (any MISSION_REQUEST_INT is answered), a legacy MISSION_REQUEST gets a float MISSION_ITEM.
 * Missions (type 0), fences (1) and rally points (2) are kept in separate lists; only missions have the home item.
 */
import type { RawFields, RawMessage } from "../../../server/mavlink/index";
import { itemRefusal } from "./checks";
import { homeItem, itemFields, itemFromFields, storedItem } from "./items";
import { MAV_MISSION_RESULT, MAV_MISSION_TYPE, SEVERITY } from "./types";
import type { MissionHost, MissionItem } from "./types";
import { Upload } from "./upload";

export interface MissionServerOptions {
  /** Most items per list (ArduPilot SITL: 700 with its storage); a bigger MISSION_COUNT gets NO_SPACE. */
  capacity?: number;
  /** Re-send the MISSION_REQUEST when no item came for this long (ArduPilot: 1000 ms + stream slowdown). */
  itemTimeoutMs?: number;
  /** Give up an upload when no item came for this long (ArduPilot: upload_timeout_ms = 8000). */
  uploadTimeoutMs?: number;
  /**
   * Ask for upload items with MISSION_REQUEST_INT (as PX4 and the current spec do) instead of ArduPilot's
   * MISSION_REQUEST (40). Off by default: the recorded ArduCopter behaviour.
   */
  requestInt?: boolean;
  /** Answer every MISSION_COUNT with a MISSION_ACK of this MAV_MISSION_RESULT (a vehicle that refuses uploads). */
  refuseUploads?: number;
}

const SUPPORTED_TYPES: readonly number[] = [MAV_MISSION_TYPE.MISSION, MAV_MISSION_TYPE.FENCE, MAV_MISSION_TYPE.RALLY];
const DEFAULT_CAPACITY = 700;

export class MissionServer {
  private readonly lists = new Map<number, MissionItem[]>();
  private readonly changeListeners: (() => void)[] = [];
  private readonly setCurrentListeners: ((seq: number) => void)[] = [];
  private upload: Upload | null = null;
  /** ArduPilot warns about MISSION_REQUEST once, and re-arms the warning only when an upload starts. */
  private requestWarningSent = false;
  private readonly capacity: number;
  private readonly itemTimeoutMs: number;
  private readonly uploadTimeoutMs: number;
  private readonly requestName: "MISSION_REQUEST" | "MISSION_REQUEST_INT";
  private readonly refuseUploads: number | null;

  constructor(private readonly host: MissionHost, opts: MissionServerOptions = {}) {
    this.requestName = opts.requestInt ? "MISSION_REQUEST_INT" : "MISSION_REQUEST";
    this.refuseUploads = opts.refuseUploads ?? null;
    this.capacity = opts.capacity ?? DEFAULT_CAPACITY;
    this.itemTimeoutMs = opts.itemTimeoutMs ?? 1000;
    this.uploadTimeoutMs = opts.uploadTimeoutMs ?? 8000;
  }

  /** True when msg was a mission-protocol message (consumed), false for anything else. */
  handle(msg: RawMessage): boolean {
    const f = msg.fields;
    switch (msg.name) {
      case "MISSION_COUNT": this.onCount(msg, num(f, "count"), num(f, "mission_type")); return true;
      case "MISSION_ITEM_INT": this.onItem(msg, false); return true;
      case "MISSION_ITEM": this.onItem(msg, true); return true;
      case "MISSION_REQUEST_LIST": this.onRequestList(msg, num(f, "mission_type")); return true;
      case "MISSION_REQUEST_INT": this.onRequest(msg, false); return true;
      case "MISSION_REQUEST": this.onRequest(msg, true); return true;
      case "MISSION_CLEAR_ALL": this.onClearAll(msg, num(f, "mission_type")); return true;
      case "MISSION_SET_CURRENT": for (const cb of this.setCurrentListeners) cb(num(f, "seq")); return true;
      // The GCS's ack closes its download; ArduPilot keeps no download state, so there is nothing to do.
      case "MISSION_ACK": return true;
      default: return false;
    }
  }

  tick(now: number): void {
    const up = this.upload;
    if (!up) return;
    if (now - up.lastReceiveMs > this.uploadTimeoutMs) {
      this.upload = null;
      this.ack(up.peer, MAV_MISSION_RESULT.OPERATION_CANCELLED, up.missionType);
      this.host.statusText(SEVERITY.WARNING, "Mission upload timeout");
      if (writesInPlace(up.missionType)) for (const cb of this.changeListeners) cb();
      return;
    }
    if (now - up.lastRequestMs > this.itemTimeoutMs) this.request(up, now);
  }

  /** The stored items of a list (a copy), item 0 of a mission being home once the vehicle has one. */
  items(missionType: number = MAV_MISSION_TYPE.MISSION): MissionItem[] {
    const list = this.lists.get(missionType) ?? [];
    const home = this.host.home();
    return list.map((item) => (item.seq === 0 && missionType === MAV_MISSION_TYPE.MISSION && home
      ? homeItem(home, missionType)
      : { ...item }));
  }

  /** Replaces a list without the protocol (demo missions, tests); items are stored as an upload would. */
  load(items: MissionItem[], missionType = items[0]?.missionType ?? MAV_MISSION_TYPE.MISSION): void {
    this.store(missionType, items.map((item, seq) => ({ ...item, seq, missionType })));
  }

  onChange(cb: () => void): void {
    this.changeListeners.push(cb);
  }

  /** MISSION_SET_CURRENT(seq): the executor listens (ArduPilot then sends MISSION_CURRENT). */
  onSetCurrent(cb: (seq: number) => void): void {
    this.setCurrentListeners.push(cb);
  }

  /** True while an upload is in progress (ArduPilot then refuses downloads and clears). */
  get receiving(): boolean {
    return this.upload !== null;
  }

  /** AP_Mission counts no storage until the autopilot has initialised (num_commands_max() is 0 before). */
  private capacityOf(missionType: number): number {
    return missionType === MAV_MISSION_TYPE.MISSION && !this.host.storageReady() ? 0 : this.capacity;
  }

  private store(missionType: number, items: MissionItem[]): void {
    this.lists.set(missionType, items.map(storedItem));
    for (const cb of this.changeListeners) cb();
  }

  /** AP_Mission::truncate: the list keeps at most its first `count` items. */
  private truncate(missionType: number, count: number): void {
    const list = this.lists.get(missionType);
    if (list && list.length > count) this.lists.set(missionType, list.slice(0, count));
  }

  /** One received item stored where its seq says (replacing, or appending at the end), as ArduPilot does. */
  private writeItem(missionType: number, item: MissionItem): void {
    const list = [...(this.lists.get(missionType) ?? [])];
    list[Math.min(item.seq, list.length)] = storedItem(item);
    this.lists.set(missionType, list);
  }

  private onCount(msg: RawMessage, count: number, missionType: number): void {
    if (!SUPPORTED_TYPES.includes(missionType)) return this.ack(msg, MAV_MISSION_RESULT.UNSUPPORTED, missionType);
    const up = this.upload;
    // One upload at a time; only the GCS that started it may restart it.
    if (up && (up.peer.sysid !== msg.sysid || up.peer.compid !== msg.compid)) {
      return this.ack(msg, MAV_MISSION_RESULT.DENIED, missionType);
    }
    this.upload = null;
    if (this.refuseUploads !== null) return this.ack(msg, this.refuseUploads, missionType);
    const capacity = this.capacityOf(missionType);
    if (count > capacity) {
      this.ack(msg, MAV_MISSION_RESULT.NO_SPACE, missionType);
      this.host.statusText(SEVERITY.WARNING, `Only ${capacity} items are supported`);
      return;
    }
    if (count === 0) return this.complete(msg, missionType, []);
    // MissionItemProtocol::handle_mission_count truncates the stored list at once, and each item is then stored as
    // it comes (replace_item / append_item): an upload that fails half-way leaves the new items before the failure
    // and the old ones after it. Only fences are collected first and stored whole at the end.
    if (writesInPlace(missionType)) this.truncate(missionType, count);
    const now = this.host.now();
    const next = new Upload({ sysid: msg.sysid, compid: msg.compid }, missionType, count, now);
    this.upload = next;
    this.requestWarningSent = false;
    this.request(next, now);
  }

  private onItem(msg: RawMessage, isFloat: boolean): void {
    const item = itemFromFields(msg.fields, isFloat);
    const up = this.upload;
    if (!SUPPORTED_TYPES.includes(item.missionType)) return this.ack(msg, MAV_MISSION_RESULT.UNSUPPORTED, item.missionType);
    // ArduPilot answers an item nobody asked for with ERROR.
    if (!up || up.missionType !== item.missionType) return this.ack(msg, MAV_MISSION_RESULT.ERROR, item.missionType);
    // A wrong seq is refused but the upload goes on: the request for the expected seq is re-sent on the timer.
    if (item.seq !== up.next) return this.ack(msg, MAV_MISSION_RESULT.INVALID_SEQUENCE, item.missionType);
    if (msg.sysid !== up.peer.sysid || msg.compid !== up.peer.compid) {
      return this.ack(msg, MAV_MISSION_RESULT.DENIED, item.missionType);
    }
    if (isFloat && !up.itemWarningSent) {
      up.itemWarningSent = true;
      this.host.statusText(SEVERITY.WARNING, "got MISSION_ITEM; GCS should send MISSION_ITEM_INT");
    }
    // As MissionItemProtocol::handle_mission_item: an item ArduPilot cannot store ends the upload.
    const refusal = up.missionType === MAV_MISSION_TYPE.MISSION ? itemRefusal(item, up.count) : null;
    if (refusal !== null) {
      this.upload = null;
      this.ack(msg, refusal, item.missionType);
      // What was stored before the refusal stays: the vehicle's mission is now part new, part old.
      for (const cb of this.changeListeners) cb();
      return;
    }
    const now = this.host.now();
    up.accept(item, now);
    if (writesInPlace(up.missionType)) this.writeItem(up.missionType, item);
    if (up.done) {
      this.upload = null;
      return this.complete(msg, up.missionType, up.items);
    }
    this.request(up, now);
  }

  private complete(msg: RawMessage, missionType: number, items: MissionItem[]): void {
    this.store(missionType, items);
    this.ack(msg, MAV_MISSION_RESULT.ACCEPTED, missionType);
    if (missionType === MAV_MISSION_TYPE.MISSION) this.host.statusText(SEVERITY.INFO, "Flight plan received");
  }

  private onRequestList(msg: RawMessage, missionType: number): void {
    if (!SUPPORTED_TYPES.includes(missionType)) return this.ack(msg, MAV_MISSION_RESULT.UNSUPPORTED, missionType);
    if (this.upload) return this.ack(msg, MAV_MISSION_RESULT.DENIED, missionType);
    this.sendCount(msg, missionType);
  }

  private onRequest(msg: RawMessage, isFloat: boolean): void {
    const seq = num(msg.fields, "seq");
    const missionType = num(msg.fields, "mission_type");
    if (!SUPPORTED_TYPES.includes(missionType)) return this.ack(msg, MAV_MISSION_RESULT.UNSUPPORTED, missionType);
    if (this.upload) return this.ack(msg, MAV_MISSION_RESULT.DENIED, missionType);
    const item = this.downloadItem(missionType, seq);
    if (!item) {
      // As MissionItemProtocol_Waypoints::get_item: tell the GCS the real size, then refuse.
      this.sendCount(msg, missionType);
      return this.ack(msg, MAV_MISSION_RESULT.ERROR, missionType);
    }
    this.host.send(isFloat ? "MISSION_ITEM" : "MISSION_ITEM_INT", itemFields(item, msg, isFloat));
    if (isFloat && !this.requestWarningSent) {
      this.requestWarningSent = true;
      this.host.statusText(SEVERITY.WARNING, "got MISSION_REQUEST; use MISSION_REQUEST_INT!");
    }
  }

  /** AP_Mission reads item 0 from the AHRS home, so home can be read even from an empty mission. */
  private downloadItem(missionType: number, seq: number): MissionItem | undefined {
    const home = this.host.home();
    if (seq === 0 && missionType === MAV_MISSION_TYPE.MISSION && home) return homeItem(home, missionType);
    return this.items(missionType)[seq];
  }

  private onClearAll(msg: RawMessage, missionType: number): void {
    const types = missionType === MAV_MISSION_TYPE.ALL ? SUPPORTED_TYPES : [missionType];
    if (!types.every((t) => SUPPORTED_TYPES.includes(t))) return this.ack(msg, MAV_MISSION_RESULT.UNSUPPORTED, missionType);
    // ArduPilot refuses to clear under an upload in progress.
    if (this.upload) return this.ack(msg, MAV_MISSION_RESULT.ERROR, missionType);
    for (const t of types) this.store(t, []);
    this.ack(msg, MAV_MISSION_RESULT.ACCEPTED, missionType);
  }

  private sendCount(to: { sysid: number; compid: number }, missionType: number): void {
    const count = this.lists.get(missionType)?.length ?? 0;
    this.host.send("MISSION_COUNT", { target_system: to.sysid, target_component: to.compid, count, mission_type: missionType });
  }

  private request(up: Upload, now: number): void {
    up.lastRequestMs = now;
    this.host.send(this.requestName, {
      target_system: up.peer.sysid, target_component: up.peer.compid, seq: up.next, mission_type: up.missionType,
    });
  }

  private ack(to: { sysid: number; compid: number }, type: number, missionType: number): void {
    this.host.send("MISSION_ACK", { target_system: to.sysid, target_component: to.compid, type, mission_type: missionType });
  }
}

function num(fields: RawFields, name: string): number {
  const v = fields[name];
  return typeof v === "number" ? v : 0;
}

/** Lists ArduPilot writes item by item during an upload (waypoints, rally points); fences are written whole. */
function writesInPlace(missionType: number): boolean {
  return missionType === MAV_MISSION_TYPE.MISSION || missionType === MAV_MISSION_TYPE.RALLY;
}
