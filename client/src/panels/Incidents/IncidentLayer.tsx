import { divIcon } from "leaflet";
import { useMemo } from "react";
import { Circle, Marker, Polygon } from "react-leaflet";
import type { IncidentMarker } from "../../../../server/protocol";
import { useAppStore } from "../../store";
import { INCIDENT_TYPE_LABELS, markerLabel } from "./format";
import { labelPosition } from "./geometry";

/** Amber outline and violet label: never confused with the fences' green and red. */
export const INCIDENT_COLOUR = "#f0a020";
const PATH = { color: INCIDENT_COLOUR, weight: 2, dashArray: "6 4", fillColor: INCIDENT_COLOUR, fillOpacity: 0.08 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function labelIcon(m: IncidentMarker) {
  const text = escapeHtml(markerLabel(m));
  const hover = escapeHtml(`${markerLabel(m)} (${INCIDENT_TYPE_LABELS[m.type] ?? m.type})`);
  const dot = m.location.kind === "point" ? `<span class="incident-label__dot"></span>` : "";
  return divIcon({
    className: "incident-divicon",
    html: `<span class="incident-label" data-testid="incident-label-${m.id}" title="${hover}">${dot}${text}</span>`,
    iconSize: [0, 0],
    iconAnchor: [0, 0],
  });
}

function IncidentShape({ incident }: { incident: IncidentMarker }) {
  const icon = useMemo(() => labelIcon(incident), [incident]);
  const l = incident.location;
  return (
    <>
      {l.kind === "area"
        ? <Polygon positions={l.points.map((p) => [p.lat, p.lon] as [number, number])} interactive={false} pathOptions={PATH} />
        : <Circle center={[l.lat, l.lon]} radius={l.radiusM} interactive={false} pathOptions={PATH} />}
      {/* Below every vehicle marker: a label must never hide a drone. */}
      <Marker position={labelPosition(l)} icon={icon} interactive={false} keyboard={false} zIndexOffset={-1000} />
    </>
  );
}

/**
 * Open incidents with a place, on the live map of every signed-in screen (the control room sees where the jobs
 * are). Read-only: hover text only, nothing to click.
 */
export function IncidentLayer() {
  const incidents = useAppStore((s) => s.incidents);
  return (
    <>
      {incidents.map((m) => <IncidentShape key={m.id} incident={m} />)}
    </>
  );
}
