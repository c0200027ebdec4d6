import type { Map as LeafletMap } from "leaflet";
import { useAppStore, useAppStoreApi } from "../../store";
import { fitAll } from "./fit";
import type { LatLonBounds } from "./geometry";

/** Map buttons. Rendered outside the Leaflet container, so clicks never reach the map's drag handling. */
export function MapToolbar({ map, extra }: { map: LeafletMap | null; extra: LatLonBounds | null }) {
  const api = useAppStoreApi();
  const follow = useAppStore((s) => s.follow);
  const selectedKey = useAppStore((s) => s.selectedKey);

  const onFitAll = () => {
    if (!map) return;
    api.getState().setFollow(false); // otherwise the next frame would pan straight back
    fitAll(map, api.getState(), extra);
  };

  return (
    <div className="map-toolbar" role="toolbar" aria-label="Map">
      <button type="button" className="btn" data-testid="fit-all" onClick={onFitAll} disabled={!map}>
        Fit all
      </button>
      <button type="button" className="btn" data-testid="clear-trails" onClick={() => api.getState().clearTrails()} title="Erase all trails">
        Clear trails
      </button>
      <button
        type="button"
        className={follow ? "btn btn--active" : "btn"}
        data-testid="follow-toggle"
        aria-pressed={follow}
        disabled={!selectedKey}
        title={selectedKey ? "Keep the selected vehicle centred" : "Select a vehicle in the list or on the map"}
        onClick={() => api.getState().setFollow(!follow)}
      >
        {follow ? `Following ${selectedKey}` : selectedKey ? `Follow ${selectedKey}` : "Follow"}
      </button>
      {selectedKey && (
        <button type="button" className="btn btn--quiet" data-testid="clear-selection" onClick={() => api.getState().select(null)} title="Clear selection">
          ✕
        </button>
      )}
    </div>
  );
}
