import { Badge } from "../../components";
import { formatAge } from "../../format";

/** "LINK OK" with the heartbeat age, or "LOST" with how long it has been silent, ticking live. */
export function LinkBadge({ stale, ageMs }: { stale: boolean; ageMs: number }) {
  return stale ? (
    <span className="link-state link-state--lost" data-testid="link-state">
      <Badge tone="danger">LOST</Badge>
      <span className="link-state__age">lost {formatAge(ageMs)}</span>
    </span>
  ) : (
    <span className="link-state" data-testid="link-state" title="Time since the last heartbeat">
      <Badge tone="ok">LINK OK</Badge>
      <span className="link-state__age">{formatAge(ageMs)}</span>
    </span>
  );
}
