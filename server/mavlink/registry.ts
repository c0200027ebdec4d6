/**
 * One merged message registry of the dialects ArduPilot speaks. `standard` is needed for AUTOPILOT_VERSION;
 * `ardupilotmega` for ArduPilot's own messages (EKF_STATUS_REPORT, ...). PROTOCOL_VERSION (300) is in none of
 * them, so it is unknown to the framer (counted, skipped).
 */
import { ardupilotmega, common, minimal, standard } from "mavlink-mappings";
import type { MavLinkData, MavLinkDataConstructor, MavLinkPacketField } from "mavlink-mappings";

export type MessageClass = MavLinkDataConstructor<MavLinkData>;
export type FieldDef = MavLinkPacketField;

export interface MessageRegistry {
  /** msgid -> generated message class (MSG_NAME, PAYLOAD_LENGTH, MAGIC_NUMBER = CRC_EXTRA, FIELDS). */
  readonly byId: ReadonlyMap<number, MessageClass>;
  /**
   * CRC_EXTRA by msgid, -1 when unknown. A dense table because the framer looks it up for every frame;
   * msgids beyond its length are unknown.
   */
  readonly crcExtra: Int16Array;
}

export function buildRegistry(): MessageRegistry {
  const byId = new Map<number, MessageClass>();
  // Later dialects win on a clash; today there is none, the order only documents precedence.
  for (const dialect of [minimal.REGISTRY, common.REGISTRY, standard.REGISTRY, ardupilotmega.REGISTRY]) {
    for (const clazz of Object.values(dialect)) byId.set(clazz.MSG_ID, clazz);
  }
  let maxId = 0;
  for (const id of byId.keys()) maxId = Math.max(maxId, id);
  const crcExtra = new Int16Array(maxId + 1).fill(-1);
  for (const [id, clazz] of byId) crcExtra[id] = clazz.MAGIC_NUMBER;
  return { byId, crcExtra };
}

/** Built once at import and never written to afterwards. */
export const REGISTRY: MessageRegistry = buildRegistry();

export function messageName(msgid: number): string {
  return REGISTRY.byId.get(msgid)?.MSG_NAME ?? `UNKNOWN(${msgid})`;
}
