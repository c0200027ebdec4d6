import { Fragment, useEffect, useState } from "react";
import { Circle, CircleMarker, Polygon, Polyline } from "react-leaflet";
import type { ReplayFlight } from "../../../../server/protocol";
import { createFlightsApi, trackLines, type TrackLine } from "../Flights";
import { fenceColour } from "../Mission";
import { useAppStore } from "../../store";
import { keyColour } from "./colour";
import { hoverPoints } from "./hover";

export interface FlightTrack {
  flight: ReplayFlight;
  lines: TrackLine[];
}

/**
 * Each flight's whole track, loaded once: drawn thin and dashed under the vehicle's own trail (the part flown so
 * far, drawn by the map), so the reviewer sees where the drone is about to go. A file that cannot be read (altered,
 * missing) has no track: the banner already says why.
 */
export function useFlightTracks(flights: readonly ReplayFlight[], fetchFn: typeof fetch): FlightTrack[] {
  const [tracks, setTracks] = useState<FlightTrack[]>([]);
  useEffect(() => {
    const api = createFlightsApi(fetchFn);
    const abort = new AbortController();
    void Promise.all(flights.map(async (flight) => {
      try {
        return { flight, lines: trackLines(await api.track(flight.id, abort.signal)) };
      } catch {
        return { flight, lines: [] };
      }
    })).then((all) => {
      if (!abort.signal.aborted) setTracks(all);
    });
    return () => abort.abort();
  }, [flights, fetchFn]);
  return tracks;
}

export function RemainingTracks({ tracks }: { tracks: readonly FlightTrack[] }) {
  return (
    <>
      {tracks.flatMap(({ flight, lines }) => lines.map((line, i) => (
        <Polyline key={`${flight.id}-${i}`} positions={line} interactive={false}
          className="replay-track-remaining" pathOptions={{ color: keyColour(flight.vehicle), weight: 2, opacity: 0.45, dashArray: "4 6" }} />
      )))}
    </>
  );
}

/** Where the vehicles were at the moment hovered on a chart. */
export function HoverMarkers({ time }: { time: number | null }) {
  const trails = useAppStore((s) => s.trails);
  if (time === null) return null;
  return (
    <>
      {hoverPoints(trails, time).map((p) => (
        <CircleMarker key={p.key} center={[p.lat, p.lon]} radius={7} interactive={false}
          className="replay-hover" pathOptions={{ color: "#ffffff", weight: 2, fillColor: keyColour(p.key), fillOpacity: 0.9 }} />
      ))}
    </>
  );
}

/**
 * The mission and fence each vehicle held at this moment, as far as the recording shows it (its mission transfers,
 * found when the file was indexed), drawn read-only: a replay never edits or sends a plan.
 */
export function RecordedMissions() {
  const missions = useAppStore((s) => s.missions);
  return (
    <>
      {Object.values(missions).map((info) => {
        const points = (info.plan?.items ?? [])
          .filter((it) => Number.isFinite(it.lat) && Number.isFinite(it.lon) && (it.lat !== 0 || it.lon !== 0))
          .map((it): [number, number] => [it.lat, it.lon]);
        const fence = info.plan?.fence ?? { polygons: [], circles: [] };
        if (points.length === 0 && fence.polygons.length === 0 && fence.circles.length === 0) return null;
        const colour = keyColour(info.key);
        return (
          <Fragment key={info.key}>
            {fence.polygons.map((p, i) => (
              <Polygon key={`fp${i}`} positions={p.points.map((q): [number, number] => [q.lat, q.lon])} interactive={false}
                className="replay-fence" pathOptions={{ color: fenceColour(p.inclusion), weight: 2, fillOpacity: p.inclusion ? 0.04 : 0.15 }} />
            ))}
            {fence.circles.map((c, i) => (
              <Circle key={`fc${i}`} center={[c.center.lat, c.center.lon]} radius={c.radius} interactive={false}
                className="replay-fence" pathOptions={{ color: fenceColour(c.inclusion), weight: 2, fillOpacity: c.inclusion ? 0.04 : 0.15 }} />
            ))}
            <Polyline positions={points} interactive={false}
              className="replay-mission" pathOptions={{ color: colour, weight: 1.5, opacity: 0.8, dashArray: "1 5" }} />
            {points.map((p, i) => (
              <CircleMarker key={i} center={p} radius={4} interactive={false}
                pathOptions={{ color: colour, weight: 1.5, fillColor: "#111", fillOpacity: 0.8 }} />
            ))}
          </Fragment>
        );
      })}
    </>
  );
}
