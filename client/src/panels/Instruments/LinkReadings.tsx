import type { VehicleState } from "../../../../server/protocol";
import { Badge } from "../../components";
import { formatAge, formatRatioPercent, formatByteRate } from "../../format";
import { heartbeatAge } from "../../store";
import { Reading, ReadingGroup } from "./Reading";

/** Loss above this is worth the pilot's attention (matches the vehicle card). */
const LOSS_CAUTION = 0.05;

/** Link health; `now` is the server clock so the heartbeat age ticks between frames; `stale` as isStale decides. */
export function LinkReadings({ vehicle, now, stale }: { vehicle: VehicleState; now: number; stale: boolean }) {
  const { link } = vehicle;
  return (
    <ReadingGroup title="Link" className="inst-link">
      <Reading label="State" id="link-state">
        {stale ? <Badge tone="danger">LOST</Badge> : <Badge tone="ok">OK</Badge>}
      </Reading>
      <Reading label="Heartbeat" id="link-heartbeat" tone={stale ? "danger" : "neutral"} title="Time since the last heartbeat">
        {formatAge(heartbeatAge(vehicle, now))}
      </Reading>
      <Reading label="Loss" id="link-loss" tone={link.lossRatio > LOSS_CAUTION ? "caution" : "neutral"}>
        {formatRatioPercent(link.lossRatio)}
      </Reading>
      <Reading label="Rate" id="link-rate">{formatByteRate(link.bytesPerSecond)}</Reading>
    </ReadingGroup>
  );
}
