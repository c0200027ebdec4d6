import L from "leaflet";
import { useEffect } from "react";
import { useMap } from "react-leaflet";

/**
 * Without a base map a plain background gives no sense of movement when panning or following:
 * a faint grid of empty tiles (drawn locally, nothing fetched) moves with the map instead.
 */
class GridTiles extends L.GridLayer {
  override createTile(): HTMLElement {
    const tile = document.createElement("div");
    tile.className = "offline-grid-tile";
    return tile;
  }
}

export function OfflineGrid() {
  const map = useMap();
  useEffect(() => {
    const layer = new GridTiles({ pane: "tilePane", zIndex: 0, attribution: "" });
    layer.addTo(map);
    return () => {
      layer.remove();
    };
  }, [map]);
  return null;
}
