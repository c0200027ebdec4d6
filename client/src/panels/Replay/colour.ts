import type { VehicleKey } from "../../../../server/protocol";
import { vehicleColour } from "../../components";

/** A vehicle's colour from its key, the same one the map gives it (by sysid and compid). */
export function keyColour(key: VehicleKey): string {
  const [sysid, compid] = key.split(":").map(Number);
  return vehicleColour(sysid ?? 1, compid ?? 1);
}
