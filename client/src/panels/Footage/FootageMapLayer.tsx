import { Fragment } from "react";
import { CircleMarker, Polyline } from "react-leaflet";
import { pointAt, videoTimeAt } from "./sync";
import type { ReplayFootageItem } from "./useReplayFootage";

const CAMERA_COLOUR = "#c77dff";

/**
 * The camera's own positions from each file's sidecar: the whole path faintly, and where the camera was at the
 * replay's moment (nothing outside the video's span).
 */
export function FootageMapLayer({ items, time }: { items: readonly ReplayFootageItem[]; time: number }) {
  return (
    <>
      {items.filter((i) => i.track.length > 0).map((item) => {
        const here = pointAt(item.track, videoTimeAt(time, item.sync.startsAt, item.flight.shiftMs));
        return (
          <Fragment key={`${item.flight.id}-${item.footage.id}`}>
            <Polyline positions={item.track.map((p): [number, number] => [p.lat, p.lon])} interactive={false}
              className="footage-camera-path" pathOptions={{ color: CAMERA_COLOUR, weight: 2, opacity: 0.35 }} />
            {here && (
              <CircleMarker center={[here.lat, here.lon]} radius={6} interactive={false} className="footage-camera"
                pathOptions={{ color: "#ffffff", weight: 2, fillColor: CAMERA_COLOUR, fillOpacity: 1 }} />
            )}
          </Fragment>
        );
      })}
    </>
  );
}
