import { formatAge } from "../../format";
import { useAppStore, useNow } from "../../store";

/**
 * Over the map, because that is where a control room looks: when the live feed is down, the
 * positions shown are history, and that must be impossible to miss.
 */
export function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection);
  const now = useNow(1000);
  if (connection.status !== "disconnected") return null;
  return (
    <div className="map-banner" role="alert" data-testid="connection-banner">
      NO LIVE DATA: {connection.reason}, {formatAge(now - connection.since)} ago
      {connection.willReconnect ? ". Reconnecting…" : ". Reload the page to reconnect."} Positions shown are the last known.
    </div>
  );
}
