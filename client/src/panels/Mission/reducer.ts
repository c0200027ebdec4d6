/**
 * The mission editor as a pure reducer: the draft Mission with bounded undo/redo, plus the editing UI state
 * (tool mode, selected item, the fence polygon being drawn) that undo does not touch.
 */
import type { LatLon, Mission, MissionItem } from "../../../../server/protocol";
import * as ops from "./draftOps";
import type { ItemKind } from "./kinds";

export const HISTORY_LIMIT = 100;
export const DEFAULT_CIRCLE_RADIUS_M = 100;

/** What a click on the map does. */
export type ToolMode = "select" | "waypoint" | "polygon" | "circle" | "rally";

export interface EditorState {
  draft: Mission;
  /** Older drafts, oldest first; bounded to HISTORY_LIMIT. */
  past: Mission[];
  /** Drafts undone, next redo last. */
  future: Mission[];
  /** Index into draft.items of the item selected in the list and on the map. */
  selected: number | null;
  mode: ToolMode;
  /** Corners of the fence polygon being drawn (committed with finishPolygon). */
  pending: LatLon[];
  /** Whether the fence drawn next is an inclusion (stay inside) or exclusion (stay out) zone. */
  inclusion: boolean;
  /** How many times a whole plan replaced the draft (a file, the vehicle's): the map fits then, not on each edit. */
  loads: number;
}

type Index = { index: number };
type At = { lat: number; lon: number };

/** Actions that change the draft (and so are undoable). */
export type EditAction =
  | ({ type: "addWaypoint" } & At)
  | ({ type: "insertAfter"; item?: MissionItem } & Index)
  | ({ type: "moveItem" } & Index & At)
  | ({ type: "deleteItem" } & Index)
  | { type: "reorderItem"; from: number; to: number }
  | ({ type: "setAltitude"; alt: number } & Index)
  | ({ type: "setKind"; kind: Exclude<ItemKind, "other">; value?: number } & Index)
  | ({ type: "setParam"; param: 0 | 1 | 2 | 3; value: number | null } & Index)
  | { type: "addPolygon"; inclusion: boolean; points: LatLon[] }
  | ({ type: "moveVertex"; polygon: number; vertex: number } & At)
  | ({ type: "insertVertex"; polygon: number; after: number } & At)
  | { type: "deleteVertex"; polygon: number; vertex: number }
  | { type: "setPolygonInclusion"; polygon: number; inclusion: boolean }
  | { type: "deletePolygon"; polygon: number }
  | { type: "addCircle"; inclusion: boolean; center: LatLon; radius: number }
  | { type: "moveCircle"; circle: number; center: LatLon }
  | { type: "setRadius"; circle: number; radius: number }
  | { type: "setCircleInclusion"; circle: number; inclusion: boolean }
  | { type: "deleteCircle"; circle: number }
  | ({ type: "addRally"; alt?: number } & At)
  | ({ type: "moveRally" } & Index & At)
  | ({ type: "setRallyAltitude"; alt: number } & Index)
  | ({ type: "deleteRally" } & Index)
  | { type: "load"; mission: Mission }
  | { type: "clear" };

export type UiAction =
  | { type: "undo" }
  | { type: "redo" }
  | { type: "select"; index: number | null }
  | { type: "setMode"; mode: ToolMode }
  | { type: "setInclusion"; inclusion: boolean }
  | ({ type: "pendingAdd" } & At)
  | { type: "pendingUndo" }
  | { type: "pendingCancel" }
  | { type: "finishPolygon" };

export type EditorAction = EditAction | UiAction;

export function initialEditorState(draft: Mission = ops.emptyMission()): EditorState {
  return { draft, past: [], future: [], selected: null, mode: "select", pending: [], inclusion: true, loads: 0 };
}

/** Applies an edit to a draft. Exhaustive: a new action type does not compile until it is handled. */
export function applyEdit(m: Mission, a: EditAction): Mission {
  switch (a.type) {
    case "addWaypoint": return ops.addWaypoint(m, a);
    case "insertAfter": return ops.insertAfter(m, a.index, a.item);
    case "moveItem": return ops.moveItem(m, a.index, a);
    case "deleteItem": return ops.deleteItem(m, a.index);
    case "reorderItem": return ops.reorderItem(m, a.from, a.to);
    case "setAltitude": return ops.setAltitude(m, a.index, a.alt);
    case "setKind": return ops.setKind(m, a.index, a.kind, a.value);
    case "setParam": return ops.setParam(m, a.index, a.param, a.value);
    case "addPolygon": return ops.addPolygon(m, a.inclusion, a.points);
    case "moveVertex": return ops.moveVertex(m, a.polygon, a.vertex, a);
    case "insertVertex": return ops.insertVertex(m, a.polygon, a.after, a);
    case "deleteVertex": return ops.deleteVertex(m, a.polygon, a.vertex);
    case "setPolygonInclusion": return ops.setPolygonInclusion(m, a.polygon, a.inclusion);
    case "deletePolygon": return ops.deletePolygon(m, a.polygon);
    case "addCircle": return ops.addCircle(m, a.inclusion, a.center, a.radius);
    case "moveCircle": return ops.moveCircle(m, a.circle, a.center);
    case "setRadius": return ops.setRadius(m, a.circle, a.radius);
    case "setCircleInclusion": return ops.setCircleInclusion(m, a.circle, a.inclusion);
    case "deleteCircle": return ops.deleteCircle(m, a.circle);
    case "addRally": return ops.addRally(m, a, a.alt);
    case "moveRally": return ops.moveRally(m, a.index, a);
    case "setRallyAltitude": return ops.setRallyAltitude(m, a.index, a.alt);
    case "deleteRally": return ops.deleteRally(m, a.index);
    case "load": return a.mission;
    // Clearing keeps home: it belongs to the vehicle, not to the plan the pilot is throwing away.
    case "clear": return ops.emptyMission(m.home);
  }
}

/** Where the selection goes after an edit, so the list and the map keep pointing at the same item. */
function selectionAfter(s: EditorState, a: EditAction, next: Mission): number | null {
  const sel = s.selected;
  switch (a.type) {
    case "addWaypoint": return next.items.length - 1;
    case "insertAfter": return a.index + 1;
    case "moveItem": case "setAltitude": case "setKind": case "setParam": return a.index;
    case "deleteItem":
      if (sel === null || sel < a.index) return sel;
      return sel === a.index ? null : sel - 1;
    case "reorderItem":
      if (sel === a.from) return a.to;
      if (sel === null) return null;
      if (a.from < sel && a.to >= sel) return sel - 1;
      if (a.from > sel && a.to <= sel) return sel + 1;
      return sel;
    case "load": case "clear": return null;
    default: return clampSelection(sel, next);
  }
}

function clampSelection(sel: number | null, m: Mission): number | null {
  return sel !== null && sel < m.items.length ? sel : null;
}

function pushBounded(list: Mission[], m: Mission): Mission[] {
  const next = [...list, m];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

function edit(s: EditorState, a: EditAction): EditorState {
  const next = applyEdit(s.draft, a);
  if (next === s.draft) return s;
  const loads = a.type === "load" ? s.loads + 1 : s.loads;
  return { ...s, draft: next, past: pushBounded(s.past, s.draft), future: [], selected: selectionAfter(s, a, next), loads };
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case "undo": {
      const prev = s.past[s.past.length - 1];
      if (!prev) return s;
      return { ...s, draft: prev, past: s.past.slice(0, -1), future: pushBounded(s.future, s.draft), selected: clampSelection(s.selected, prev) };
    }
    case "redo": {
      const next = s.future[s.future.length - 1];
      if (!next) return s;
      return { ...s, draft: next, future: s.future.slice(0, -1), past: pushBounded(s.past, s.draft), selected: clampSelection(s.selected, next) };
    }
    case "select":
      return { ...s, selected: a.index === null ? null : clampSelection(a.index, s.draft) };
    case "setMode":
      // Leaving polygon mode abandons a half-drawn polygon rather than leaving invisible corners behind.
      return { ...s, mode: a.mode, pending: a.mode === "polygon" ? s.pending : [] };
    case "setInclusion":
      return { ...s, inclusion: a.inclusion };
    case "pendingAdd":
      return { ...s, pending: [...s.pending, { lat: a.lat, lon: a.lon }] };
    case "pendingUndo":
      return { ...s, pending: s.pending.slice(0, -1) };
    case "pendingCancel":
      return { ...s, pending: [] };
    case "finishPolygon": {
      if (s.pending.length < 3) return s;
      return { ...edit(s, { type: "addPolygon", inclusion: s.inclusion, points: s.pending }), pending: [] };
    }
    default:
      return edit(s, a);
  }
}

export const canUndo = (s: EditorState) => s.past.length > 0;
export const canRedo = (s: EditorState) => s.future.length > 0;
