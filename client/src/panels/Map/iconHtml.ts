/** Markup of the map icons, kept free of Leaflet so it can be tested and reasoned about as strings. */

export interface VehicleIconSpec {
  sysid: number;
  compid: number;
  colour: string;
  /** Rounded heading in degrees, or null when unknown (drawn as a disc, not an arrow). */
  heading: number | null;
  stale: boolean;
  selected: boolean;
}

export const VEHICLE_ICON_SIZE = 34;

export function vehicleTestId(sysid: number, compid: number): string {
  return `vehicle-marker-${sysid}-${compid}`;
}

const ARROW = "M0,-14 L10,12 L0,6 L-10,12 Z";

/**
 * The root element carries the test hooks (data-testid, data-lat/lon). Icons are cached and reused,
 * so lat/lon here are only a first value and the label text is left empty: the marker writes both on
 * the live element on every update. The label lives inside the icon rather than in a Leaflet tooltip
 * because tooltips force a layout per vehicle per frame (measured: half the main thread at 60 vehicles).
 */
export function vehicleIconHtml(spec: VehicleIconSpec, lat: number, lon: number): string {
  const classes = ["vmarker", spec.stale && "vmarker--stale", spec.selected && "vmarker--selected"].filter(Boolean).join(" ");
  const shape = spec.heading === null ? `<circle r="8" class="vmarker__body" />` : `<path d="${ARROW}" class="vmarker__body" />`;
  // The whole drawing turns with a CSS transform about its centre (the SVG's origin is its centre).
  const rotate = spec.heading === null ? "" : ` style="transform:rotate(${spec.heading}deg)"`;
  return (
    `<div class="${classes}" style="--vcolour:${spec.colour}" data-testid="${vehicleTestId(spec.sysid, spec.compid)}"` +
    ` data-lat="${lat}" data-lon="${lon}" data-heading="${spec.heading ?? ""}" data-stale="${spec.stale}">` +
    `<svg viewBox="-17 -17 34 34" width="${VEHICLE_ICON_SIZE}" height="${VEHICLE_ICON_SIZE}"${rotate} aria-hidden="true">` +
    `<circle r="16" class="vmarker__halo" />${shape}</svg>` +
    `<span class="vlabel"><span class="vlabel__text"></span>${spec.stale ? `<b class="vlabel__lost">LOST</b>` : ""}</span></div>`
  );
}

export function homeIconHtml(sysid: number, compid: number, colour: string): string {
  return `<div class="hmarker" style="--vcolour:${colour}" data-testid="home-marker-${sysid}-${compid}">H</div>`;
}
