/** Markup of the mission markers: strings free of Leaflet, so they can be tested; wrapped in divIcons below. */
import L from "leaflet";
import type { ItemKind } from "./kinds";
import type { ItemProgress } from "./layerModel";

const ITEM_SIZE = 24;
const SMALL_SIZE = 14;

const KIND_MARK: Partial<Record<ItemKind, string>> = { loiter: "L", land: "↓" };

export function itemIconHtml(spec: { seq: number; kind: ItemKind; progress: ItemProgress; selected: boolean; lat: number; lon: number }): string {
  const classes = ["mitem", `mitem--${spec.kind}`, `mitem--${spec.progress}`, spec.selected && "mitem--selected"].filter(Boolean).join(" ");
  const mark = KIND_MARK[spec.kind];
  return (
    `<div class="${classes}" data-testid="mission-item-${spec.seq}" data-lat="${spec.lat}" data-lon="${spec.lon}" data-progress="${spec.progress}">` +
    `${spec.seq}${mark ? `<small>${mark}</small>` : ""}</div>`
  );
}

export function rallyIconHtml(index: number, lat: number, lon: number): string {
  return `<div class="mrally" data-testid="rally-point-${index + 1}" data-lat="${lat}" data-lon="${lon}">R${index + 1}</div>`;
}

export function vertexIconHtml(testId: string, inclusion: boolean, handle: "corner" | "edge" | "centre"): string {
  return `<div class="mvertex mvertex--${handle} ${inclusion ? "mvertex--inclusion" : "mvertex--exclusion"}" data-testid="${testId}"></div>`;
}

function divIcon(html: string, size: number, className: string): L.DivIcon {
  return L.divIcon({ html, className, iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}

export const itemIcon = (spec: Parameters<typeof itemIconHtml>[0]) => divIcon(itemIconHtml(spec), ITEM_SIZE, "mission-divicon");
export const rallyIcon = (index: number, lat: number, lon: number) => divIcon(rallyIconHtml(index, lat, lon), ITEM_SIZE, "mission-divicon");
export const vertexIcon = (testId: string, inclusion: boolean, handle: "corner" | "edge" | "centre") =>
  divIcon(vertexIconHtml(testId, inclusion, handle), SMALL_SIZE, "mission-divicon");
