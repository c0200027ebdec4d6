/**
 * Vehicle colours: distinct on the dark UI, on satellite imagery and on light street maps, and none
 * of them grey (grey means "lost"). Chosen by sysid so a drone keeps its colour across sessions and screens.
 */
export const VEHICLE_COLOURS = [
  "#4fc3f7", // light blue
  "#ffb74d", // orange
  "#81c784", // green
  "#f06292", // pink
  "#ba68c8", // purple
  "#fff176", // yellow
  "#4dd0e1", // cyan
  "#ff8a65", // coral
  "#aed581", // lime
  "#9575cd", // violet
] as const;

export const LOST_COLOUR = "#8a94a3";

export function vehicleColour(sysid: number, compid = 1): string {
  // sysid 1 gets the first colour; other components of one system are spread three colours apart.
  const n = VEHICLE_COLOURS.length;
  const i = (((sysid - 1 + (compid - 1) * 3) % n) + n) % n;
  return VEHICLE_COLOURS[i] ?? VEHICLE_COLOURS[0];
}
