/**
 * The mission, fence and rally lists on each vehicle of a recording, as its mission protocol shows them: a .tlog
 * holds both sides of every transfer (what the vehicle sent and what the ground station sent it), so an upload the
 * vehicle accepted, a download the ground station acknowledged and a clear the vehicle accepted each say what the
 * vehicle held from that moment. An upload the vehicle refused leaves its lists unknown (ArduPilot keeps the items it
 * stored before refusing: see MissionItemProtocol), as the live ground station treats it.
 */
import type { MissionType, VehicleKey, VehicleMissionInfo } from "../protocol";
import { vehicleKey } from "../protocol";
import type { Decoded, Frame } from "../mavlink";
import { MAV_MISSION_RESULT, MAV_MISSION_TYPE, MSG_ID } from "../mavlink";
import type { ListItem, MissionLists } from "../missions";
import { MAX_LIST_ITEMS, listsToMission } from "../missions";
import { listItemOf } from "../vehicles";

/** The messages of the protocol: only these are looked at (the rest of the file costs nothing here). */
export const TRANSFER_MSGIDS: ReadonlySet<number> = new Set([
  MSG_ID.MISSION_COUNT, MSG_ID.MISSION_ITEM, MSG_ID.MISSION_ITEM_INT, MSG_ID.MISSION_ACK, MSG_ID.MISSION_CLEAR_ALL,
]);

const TYPE_OF: Readonly<Record<number, MissionType>> = { 0: "mission", 1: "fence", 2: "rally" };

interface Transfer {
  /** Who sent the count and the items: the vehicle (a download) or a ground station (an upload). */
  from: VehicleKey;
  items: (ListItem | undefined)[];
}

interface Known {
  lists: MissionLists;
  /** Lists of a refused upload: not known until the next complete transfer of that list. */
  unknown: Set<MissionType>;
}

export class MissionTransfers {
  private readonly transfers = new Map<string, Transfer>();
  private readonly clears = new Map<VehicleKey, number>();
  private readonly known = new Map<VehicleKey, Known>();

  /**
   * @param isVehicle whether a key is a vehicle of the recording (seen by the registry): a message's vehicle is its
   *   sender when that is a vehicle, its target otherwise.
   * @param changed called with what the vehicle holds after each completed transfer or clear.
   */
  constructor(
    private readonly isVehicle: (key: VehicleKey) => boolean,
    private readonly changed: (time: number, info: VehicleMissionInfo) => void,
  ) {}

  /** MISSION_CLEAR_ALL is not decoded by the live path (the ground station only sends it): read from its bytes. */
  clearAll(frame: Frame): void {
    const p = frame.payload;
    const target = vehicleKey(p[0] ?? 0, p[1] ?? 0);
    if (!this.isVehicle(target)) return;
    this.clears.set(target, p[2] ?? MAV_MISSION_TYPE.MISSION);
  }

  message(d: Decoded, time: number): void {
    const m = d.message;
    const sender = vehicleKey(d.sysid, d.compid);
    if (m.kind !== "missionCount" && m.kind !== "missionItem" && m.kind !== "missionAck") return;
    const target = vehicleKey(m.target.sysid, m.target.compid);
    const vehicle = this.isVehicle(sender) ? sender : target;
    if (!this.isVehicle(vehicle)) return;
    const type = TYPE_OF[m.missionType];
    if (m.kind === "missionAck") {
      this.ack(vehicle, sender, m.missionType, m.result, time);
      return;
    }
    if (type === undefined) return;
    const id = `${vehicle}/${type}`;
    if (m.kind === "missionCount") {
      if (m.count > MAX_LIST_ITEMS) this.transfers.delete(id);
      else this.transfers.set(id, { from: sender, items: new Array<ListItem | undefined>(m.count).fill(undefined) });
      return;
    }
    const t = this.transfers.get(id);
    if (!t || t.from !== sender || m.seq >= t.items.length) return;
    t.items[m.seq] = listItemOf(m);
    // A download is what the vehicle holds once every item has come, whether or not the ground station's closing
    // acknowledgement is in the file (a recording of the vehicle's side only has none).
    if (t.from === vehicle && t.items.every((i) => i !== undefined)) this.commit(vehicle, type, id, t, time);
  }

  private commit(vehicle: VehicleKey, type: MissionType, id: string, t: Transfer, time: number): void {
    this.transfers.delete(id);
    const k = this.of(vehicle);
    k.lists[type] = t.items as ListItem[];
    k.unknown.delete(type);
    this.emit(vehicle, time, t.from === vehicle ? "download" : "upload");
  }

  private ack(vehicle: VehicleKey, sender: VehicleKey, missionType: number, result: number, time: number): void {
    const clear = this.clears.get(vehicle);
    if (clear !== undefined && sender === vehicle && (clear === missionType || clear === MAV_MISSION_TYPE.ALL)) {
      this.clears.delete(vehicle);
      if (result !== MAV_MISSION_RESULT.ACCEPTED) return;
      const k = this.of(vehicle);
      for (const type of clear === MAV_MISSION_TYPE.ALL ? (["mission", "fence", "rally"] as const) : [TYPE_OF[clear]]) {
        if (!type) continue;
        k.lists[type] = [];
        k.unknown.delete(type);
      }
      this.emit(vehicle, time, "upload");
      return;
    }
    const type = TYPE_OF[missionType];
    if (type === undefined) return;
    const id = `${vehicle}/${type}`;
    const t = this.transfers.get(id);
    if (!t) {
      // The vehicle accepted an upload whose items are not in the file (a recording of its side only): its list
      // changed to something unknown, until a download shows it.
      if (sender === vehicle && result === MAV_MISSION_RESULT.ACCEPTED) this.unknown(vehicle, type, time);
      return;
    }
    // The acknowledgement comes from the side that received the items.
    if (t.from === sender) return;
    const upload = t.from !== vehicle;
    if (result === MAV_MISSION_RESULT.ACCEPTED && t.items.every((i) => i !== undefined)) {
      this.commit(vehicle, type, id, t, time);
      return;
    }
    this.transfers.delete(id);
    // A refused upload leaves the vehicle with part of it (ArduPilot stores items as they come); a download that
    // failed changed nothing on the vehicle.
    if (upload) this.unknown(vehicle, type, time);
  }

  private unknown(vehicle: VehicleKey, type: MissionType, time: number): void {
    this.of(vehicle).unknown.add(type);
    this.emit(vehicle, time, "upload");
  }

  private of(vehicle: VehicleKey): Known {
    let k = this.known.get(vehicle);
    if (!k) {
      k = { lists: { mission: [], fence: [], rally: [] }, unknown: new Set() };
      this.known.set(vehicle, k);
    }
    return k;
  }

  private emit(vehicle: VehicleKey, time: number, source: "upload" | "download"): void {
    const k = this.of(vehicle);
    if (k.unknown.size > 0) this.changed(time, { key: vehicle, plan: null, verifiedAt: null, source: null, by: null });
    else this.changed(time, { key: vehicle, plan: listsToMission(k.lists).mission, verifiedAt: time, source, by: null });
  }
}
