/**
 * The four mission-protocol transfers with one vehicle, as ArduPilot does them (ardupilot.md, "Mission protocol"):
 * - upload: MISSION_COUNT, then each MISSION_REQUEST (40, what ArduPilot sends) or MISSION_REQUEST_INT answered
 *   with MISSION_ITEM_INT, until MISSION_ACK. No request yet: MISSION_COUNT again. A count of 0 is just acked.
 * - download: MISSION_REQUEST_LIST -> MISSION_COUNT -> MISSION_REQUEST_INT(n) -> MISSION_ITEM_INT(n) ... -> our
 *   MISSION_ACK. A missing item is asked for again.
 * - clear: MISSION_CLEAR_ALL -> MISSION_ACK.  set current: MISSION_SET_CURRENT -> MISSION_CURRENT(seq).
 * Messages of another mission_type, and acks that cannot belong to this transfer, are ignored.
 */
import type { MissionType } from "../protocol";
import { paramsToSend } from "../protocol";
import type { ListItem } from "../missions";
import type { Decoded, MavMessage, OutgoingMessage } from "../mavlink";
import { MAV_MISSION_RESULT } from "../mavlink";
import { exchange } from "./missions-exchange";
import type { TransferContext, TransferOptions, TransferOutcome } from "./missions-exchange";
import { MISSION_TYPE_NUMBER, listName, missionResultText } from "./missions-results";

type Msg<K extends MavMessage["kind"]> = Extract<MavMessage, { kind: K }>;

function ids(ctx: TransferContext): { sysid: number; compid: number } {
  return { sysid: ctx.target.sysid, compid: ctx.target.compid };
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * The MISSION_ITEM_INT of a list item (seq 0 of the mission is home, sent as current, as in the recording). An unset
 * param goes as NaN only where ArduPilot accepts NaN (AP_Mission::sanity_check_params), as 0 elsewhere: a NaN it does
 * not accept ends the upload with MAV_MISSION_INVALID_PARAMn.
 */
export function itemMessage(ctx: TransferContext, type: MissionType, seq: number, item: ListItem): OutgoingMessage {
  return {
    kind: "missionItemInt", target: ids(ctx), seq, missionType: MISSION_TYPE_NUMBER[type],
    frame: item.frame, command: item.command, current: type === "mission" && seq === 0 ? 1 : 0,
    autocontinue: item.autocontinue ? 1 : 0,
    params: paramsToSend(item.command, item.params),
    x: item.lat, y: item.lon, z: item.alt,
  };
}

export function listItemOf(m: Msg<"missionItem">): ListItem {
  return {
    command: m.command, frame: m.frame,
    params: [orNull(m.params[0]), orNull(m.params[1]), orNull(m.params[2]), orNull(m.params[3])],
    lat: m.x, lon: m.y, alt: m.z, autocontinue: m.autocontinue !== 0,
  };
}

/** The message, when it is a mission-protocol message of this list type. */
type ListMessageKind = "missionCount" | "missionRequest" | "missionItem" | "missionAck";

function ofType<K extends ListMessageKind>(d: Decoded, kind: K, type: MissionType): Msg<K> | null {
  const m = d.message;
  if (m.kind !== kind) return null;
  const listMessage = m as Msg<ListMessageKind>;
  return listMessage.missionType === MISSION_TYPE_NUMBER[type] ? (m as Msg<K>) : null;
}

/**
 * ArduPilot cuts its waypoint and rally lists to the new count at MISSION_COUNT and stores each item as it comes
 * (MissionItemProtocol::handle_mission_count, handle_mission_item): refused at item N, the vehicle holds the new items
 * before N and its old ones after. Fences are stored only when complete.
 */
function partlyStored(type: MissionType, asked: number, count: number): string {
  if (type === "fence" || asked < 0) return "";
  const stored = asked === 1 ? "its first item" : `its first ${asked} items`;
  return ` (at item ${asked + 1} of ${count}): the vehicle now holds ${stored} from this upload, then what was left of `
    + `its previous list; read ${listName(type)} back before flying`;
}

export function uploadList(
  ctx: TransferContext, type: MissionType, items: readonly ListItem[], opts: TransferOptions = {},
): Promise<TransferOutcome<void>> {
  const count = items.length;
  return exchange<void>(ctx, opts, (x) => {
    let asked = -1;
    let lastSent = false;
    let lastResent = false;
    x.transmit({ kind: "missionCount", target: ids(ctx), count, missionType: MISSION_TYPE_NUMBER[type] });
    return {
      onMessage(d) {
        const request = ofType(d, "missionRequest", type);
        if (request) {
          const item = items[request.seq];
          if (!item) {
            x.fail("protocol", `The vehicle asked for item ${request.seq} of ${listName(type)}, which has ${count}`);
            return;
          }
          asked = Math.max(asked, request.seq);
          opts.onProgress?.(request.seq, count);
          lastSent = request.seq === count - 1;
          lastResent = false;
          x.transmit(itemMessage(ctx, type, request.seq, item));
          return;
        }
        const ack = ofType(d, "missionAck", type);
        if (!ack) return;
        if (ack.result === MAV_MISSION_RESULT.ACCEPTED) {
          // An ACCEPTED before our last item went out belongs to an earlier transfer.
          if (count > 0 && !lastSent) return;
          opts.onProgress?.(count, count);
          x.ok();
        } else if (ack.result === MAV_MISSION_RESULT.INVALID_SEQUENCE) {
          // ArduPilot refuses a repeated item this way and carries on: it asks again for the one it wants.
        } else if (ack.result === MAV_MISSION_RESULT.ERROR && lastResent) {
          // Our re-sent last item found no upload open: the first one was taken and its ACK lost, or the vehicle
          // gave up. Only reading the list back can tell.
          x.fail("unconfirmed", `The vehicle's acknowledgement of ${listName(type)} was lost: read the list back to check it`);
        } else {
          x.fail("refused", `${missionResultText(ack.result, count)}${partlyStored(type, asked, count)}`, ack.result);
        }
      },
      onResend() {
        if (lastSent) lastResent = true;
      },
      giveUp(tries) {
        return asked < 0
          ? `The vehicle did not answer the upload of ${listName(type)} (${tries} tries)`
          : lastSent
            ? `The vehicle did not acknowledge ${listName(type)} after its last item (${tries} tries)`
            : `The vehicle stopped asking for items at item ${asked + 1} of ${count} of ${listName(type)} (${tries} tries)`;
      },
    };
  });
}

export function downloadList(ctx: TransferContext, type: MissionType, opts: TransferOptions = {}): Promise<TransferOutcome<ListItem[]>> {
  const missionType = MISSION_TYPE_NUMBER[type];
  return exchange<ListItem[]>(ctx, opts, (x) => {
    let count: number | null = null;
    const items: ListItem[] = [];
    const request = (seq: number): void => x.transmit({ kind: "missionRequestInt", target: ids(ctx), seq, missionType });
    const finish = (): void => {
      x.post({ kind: "missionAck", target: ids(ctx), result: MAV_MISSION_RESULT.ACCEPTED, missionType });
      x.ok(items);
    };
    x.transmit({ kind: "missionRequestList", target: ids(ctx), missionType });
    return {
      onMessage(d) {
        const c = ofType(d, "missionCount", type);
        if (c) {
          // A repeated count (our REQUEST_LIST was sent twice) changes nothing once items are coming.
          if (count !== null) return;
          count = c.count;
          opts.onProgress?.(0, count);
          if (count === 0) finish();
          else request(0);
          return;
        }
        const item = ofType(d, "missionItem", type);
        if (item) {
          if (count === null || item.seq !== items.length) return; // a duplicate, or not ours
          items.push(listItemOf(item));
          opts.onProgress?.(items.length, count);
          if (items.length === count) finish();
          else request(items.length);
          return;
        }
        const ack = ofType(d, "missionAck", type);
        // An ACCEPTED ack is a leftover of an upload; a GCS ends a download, not the vehicle.
        if (ack && ack.result !== MAV_MISSION_RESULT.ACCEPTED) x.fail("refused", missionResultText(ack.result), ack.result);
      },
      giveUp(tries) {
        return count === null
          ? `The vehicle did not answer the request for ${listName(type)} (${tries} tries)`
          : `The vehicle stopped sending items at item ${items.length} of ${count} of ${listName(type)} (${tries} tries)`;
      },
    };
  });
}

export function clearList(ctx: TransferContext, type: MissionType, opts: TransferOptions = {}): Promise<TransferOutcome<void>> {
  return exchange<void>(ctx, opts, (x) => {
    x.transmit({ kind: "missionClearAll", target: ids(ctx), missionType: MISSION_TYPE_NUMBER[type] });
    return {
      onMessage(d) {
        const ack = ofType(d, "missionAck", type);
        if (!ack) return;
        if (ack.result === MAV_MISSION_RESULT.ACCEPTED) x.ok();
        else x.fail("refused", missionResultText(ack.result), ack.result);
      },
      giveUp: (tries) => `The vehicle did not confirm clearing ${listName(type)} (${tries} tries)`,
    };
  });
}

/** MISSION_SET_CURRENT, confirmed by a MISSION_CURRENT showing `seq` (ArduPilot sends one at once). */
export function setCurrentItem(ctx: TransferContext, seq: number, opts: TransferOptions = {}): Promise<TransferOutcome<void>> {
  return exchange<void>(ctx, opts, (x) => {
    x.transmit({ kind: "missionSetCurrent", target: ids(ctx), seq });
    return {
      onMessage(d) {
        if (d.message.kind === "missionCurrent" && d.message.seq === seq) x.ok();
      },
      giveUp: (tries) => `The vehicle did not move to mission item ${seq} (${tries} tries): is there such an item?`,
    };
  });
}
