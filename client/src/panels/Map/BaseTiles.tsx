import { useMemo, useRef } from "react";
import { TileLayer } from "react-leaflet";
import { OfflineGrid } from "./OfflineGrid";
import { FRESH_TILES, tileFailed, tileLoaded, tilesFailing, type TileHealth } from "./tiles";

export interface BaseTilesProps {
  url: string;
  attribution: string;
  maxZoom: number;
  /** True when tiles keep failing (no network, wrong URL), false again once one loads. */
  failing: boolean;
  onFailingChange(failing: boolean): void;
}

/**
 * The base map, watched: with no network every tile fails and Leaflet shows nothing at all. Failures are counted
 * in a ref (a screen loads dozens of tiles; re-rendering for each would be waste) and only a change between
 * "loading" and "failing" reaches React. While failing, the grid is drawn under the tile layer, which stays so
 * that tiles show again by themselves once the source is reachable.
 */
export function BaseTiles({ url, attribution, maxZoom, failing, onFailingChange }: BaseTilesProps) {
  const health = useRef<TileHealth>(FRESH_TILES);
  const failingRef = useRef(failing);
  failingRef.current = failing;
  const handlers = useMemo(() => {
    const update = (next: TileHealth) => {
      health.current = next;
      const now = tilesFailing(next);
      if (now !== failingRef.current) onFailingChange(now);
    };
    return {
      tileload: () => update(tileLoaded(health.current)),
      tileerror: () => update(tileFailed(health.current)),
    };
  }, [onFailingChange]);
  return (
    <>
      {failing && <OfflineGrid />}
      <TileLayer key={url} url={url} attribution={attribution} maxNativeZoom={19} maxZoom={maxZoom} eventHandlers={handlers} />
    </>
  );
}
