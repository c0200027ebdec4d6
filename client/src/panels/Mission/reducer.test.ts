import { describe, expect, it } from "vitest";
import type { Mission } from "../../../../server/protocol";
import { emptyMission } from "./draftOps";
import { copterFlight1 } from "../../test/missions";
import { CMD, kindOf } from "./kinds";
import { canRedo, canUndo, type EditorAction, editorReducer, type EditorState, HISTORY_LIMIT, initialEditorState } from "./reducer";

const HOME = { lat: 51.5, lon: -0.12, altAmsl: 10 };

function run(actions: EditorAction[], from: EditorState = initialEditorState(emptyMission(HOME))): EditorState {
  return actions.reduce(editorReducer, from);
}

const wp = (i: number) => ({ type: "addWaypoint" as const, lat: 51.5 + i * 0.001, lon: -0.12 });
const loaded = (m: Mission = copterFlight1()) => run([{ type: "load", mission: m }], initialEditorState());

describe("mission items", () => {
  it("adds waypoints at the last altitude (30 m by default), selecting each", () => {
    let s = run([wp(1)]);
    expect(s.draft.items).toHaveLength(1);
    expect(s.draft.items[0]).toMatchObject({ command: CMD.WAYPOINT, frame: 3, lat: 51.501, lon: -0.12, alt: 30 });
    s = run([{ type: "setAltitude", index: 0, alt: 45 }, wp(2)], s);
    expect(s.draft.items[1]?.alt).toBe(45);
    expect(s.selected).toBe(1);
  });

  it("inserts a waypoint halfway to the next position, or a given item", () => {
    const s = run([wp(0), wp(2), { type: "insertAfter", index: 0 }]);
    expect(s.draft.items.map((i) => i.lat)).toEqual([51.5, 51.501, 51.502]);
    expect(s.selected).toBe(1);
    const t = run([{ type: "insertAfter", index: -1, item: { ...s.draft.items[0]!, command: CMD.TAKEOFF, lat: 0, lon: 0 } }], s);
    expect(kindOf(t.draft.items[0]!)).toBe("takeoff");
    expect(run([{ type: "insertAfter", index: 9 }], s)).toBe(s);
  });

  it("moves, deletes and reorders items, keeping the selection on the same item", () => {
    let s = run([wp(0), wp(1), wp(2), { type: "moveItem", index: 1, lat: 52, lon: 1 }]);
    expect(s.draft.items[1]).toMatchObject({ lat: 52, lon: 1 });
    s = run([{ type: "select", index: 2 }, { type: "reorderItem", from: 2, to: 0 }], s);
    expect(s.draft.items.map((i) => i.lat)).toEqual([51.502, 51.5, 52]);
    expect(s.selected).toBe(0);
    s = run([{ type: "select", index: 2 }, { type: "deleteItem", index: 0 }], s);
    expect(s.draft.items.map((i) => i.lat)).toEqual([51.5, 52]);
    expect(s.selected).toBe(1);
    s = run([{ type: "deleteItem", index: 1 }], s);
    expect(s.selected).toBeNull();
  });

  it("does not move an item without a position and ignores bad indexes without recording history", () => {
    const s = loaded();
    expect(run([{ type: "moveItem", index: 0, lat: 1, lon: 1 }], s)).toBe(s);
    expect(run([{ type: "deleteItem", index: 42 }], s)).toBe(s);
    expect(run([{ type: "reorderItem", from: 0, to: 6 }], s)).toBe(s);
    expect(run([{ type: "setAltitude", index: 1, alt: Number.NaN }], s)).toBe(s);
  });

  it("changes an item's kind, keeping position and altitude where they make sense", () => {
    const s = loaded();
    let t = run([{ type: "setKind", index: 2, kind: "loiter", value: 20 }], s);
    expect(t.draft.items[2]).toMatchObject({ command: CMD.LOITER_TIME, params: [20, 0, 0, 0], lat: 51.5073998, alt: 30 });
    t = run([{ type: "setKind", index: 3, kind: "speed", value: 8 }], t);
    expect(t.draft.items[3]).toMatchObject({ command: CMD.CHANGE_SPEED, params: [1, 8, -1, 0], lat: 0, lon: 0 });
    // A take-off made a waypoint is placed at the position before it (home here).
    t = run([{ type: "setKind", index: 0, kind: "waypoint" }], t);
    expect(t.draft.items[0]).toMatchObject({ command: CMD.WAYPOINT, lat: 51.5073998, lon: -0.1278, alt: 30 });
    t = run([{ type: "setKind", index: 1, kind: "land" }, { type: "setKind", index: 4, kind: "rtl" }, { type: "setKind", index: 5, kind: "takeoff", value: 12 }], t);
    expect(t.draft.items.map(kindOf)).toEqual(["waypoint", "land", "loiter", "speed", "rtl", "takeoff"]);
    expect(t.draft.items[1]).toMatchObject({ lat: 51.50829811528412, alt: 0 });
    expect(t.draft.items[5]?.alt).toBe(12);
  });

  it("sets a param, and null for unset", () => {
    const s = run([{ type: "setParam", index: 1, param: 0, value: 5 }, { type: "setParam", index: 1, param: 3, value: null }], loaded());
    expect(s.draft.items[1]?.params).toEqual([5, 0, 0, null]);
  });
});

describe("fence and rally", () => {
  const square = [{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }, { lat: 1, lon: 1 }, { lat: 1, lon: 0 }];

  it("adds, edits and deletes polygons; a polygon keeps 3 corners", () => {
    let s = run([{ type: "addPolygon", inclusion: true, points: square }]);
    expect(s.draft.fence.polygons).toEqual([{ inclusion: true, points: square }]);
    s = run([
      { type: "moveVertex", polygon: 0, vertex: 0, lat: -1, lon: -1 },
      { type: "insertVertex", polygon: 0, after: 0, lat: -0.5, lon: 0.5 },
      { type: "deleteVertex", polygon: 0, vertex: 4 },
      { type: "setPolygonInclusion", polygon: 0, inclusion: false },
    ], s);
    expect(s.draft.fence.polygons[0]).toEqual({ inclusion: false, points: [{ lat: -1, lon: -1 }, { lat: -0.5, lon: 0.5 }, { lat: 0, lon: 1 }, { lat: 1, lon: 1 }] });
    s = run([{ type: "deleteVertex", polygon: 0, vertex: 0 }], s);
    expect(run([{ type: "deleteVertex", polygon: 0, vertex: 0 }], s)).toBe(s);
    expect(run([{ type: "addPolygon", inclusion: true, points: square.slice(0, 2) }], s)).toBe(s);
    expect(run([{ type: "deletePolygon", polygon: 0 }], s).draft.fence.polygons).toEqual([]);
  });

  it("draws a polygon corner by corner in polygon mode, as an exclusion zone when asked", () => {
    let s = run([{ type: "setMode", mode: "polygon" }, { type: "setInclusion", inclusion: false }, ...square.map((p) => ({ type: "pendingAdd" as const, ...p })), { type: "pendingUndo" }]);
    expect(s.pending).toHaveLength(3);
    s = run([{ type: "finishPolygon" }], s);
    expect(s.draft.fence.polygons).toEqual([{ inclusion: false, points: square.slice(0, 3) }]);
    expect(s.pending).toEqual([]);
    s = run([{ type: "pendingAdd", lat: 1, lon: 1 }, { type: "finishPolygon" }], s);
    expect(s.draft.fence.polygons).toHaveLength(1); // too few corners: nothing added
    expect(run([{ type: "pendingCancel" }], s).pending).toEqual([]);
    expect(run([{ type: "setMode", mode: "select" }], s).pending).toEqual([]);
  });

  it("adds, moves, resizes and deletes circles", () => {
    let s = run([{ type: "addCircle", inclusion: true, center: { lat: 1, lon: 2 }, radius: 100 }]);
    s = run([{ type: "moveCircle", circle: 0, center: { lat: 3, lon: 4 } }, { type: "setRadius", circle: 0, radius: 250 }, { type: "setCircleInclusion", circle: 0, inclusion: false }], s);
    expect(s.draft.fence.circles).toEqual([{ inclusion: false, center: { lat: 3, lon: 4 }, radius: 250 }]);
    expect(run([{ type: "setRadius", circle: 0, radius: -1 }], s)).toBe(s);
    expect(run([{ type: "deleteCircle", circle: 0 }], s).draft.fence.circles).toEqual([]);
  });

  it("adds, moves, sets altitude of and deletes rally points", () => {
    let s = run([{ type: "addRally", lat: 1, lon: 2 }, { type: "addRally", lat: 5, lon: 6, alt: 20 }]);
    expect(s.draft.rally).toEqual([{ lat: 1, lon: 2, alt: 30 }, { lat: 5, lon: 6, alt: 20 }]);
    s = run([{ type: "moveRally", index: 0, lat: 3, lon: 4 }, { type: "setRallyAltitude", index: 0, alt: 40 }, { type: "deleteRally", index: 1 }], s);
    expect(s.draft.rally).toEqual([{ lat: 3, lon: 4, alt: 40 }]);
  });
});

describe("load, clear, undo and redo", () => {
  it("loads a whole mission and clears it keeping home, both undoable", () => {
    let s = run([wp(0), { type: "load", mission: copterFlight1() }]);
    expect(s.draft.items).toHaveLength(6);
    s = run([{ type: "clear" }], s);
    expect(s.draft).toEqual(emptyMission(copterFlight1().home));
    s = run([{ type: "undo" }], s);
    expect(s.draft.items).toHaveLength(6);
    s = run([{ type: "undo" }], s);
    expect(s.draft.items).toHaveLength(1);
  });

  it("undoes and redoes every edit in order; a new edit drops the redo stack", () => {
    let s = run([wp(0), wp(1), { type: "setAltitude", index: 1, alt: 50 }]);
    expect(canUndo(s)).toBe(true);
    s = run([{ type: "undo" }, { type: "undo" }], s);
    expect(s.draft.items).toHaveLength(1);
    expect(canRedo(s)).toBe(true);
    s = run([{ type: "redo" }], s);
    expect(s.draft.items[1]?.alt).toBe(30);
    s = run([{ type: "redo" }], s);
    expect(s.draft.items[1]?.alt).toBe(50);
    expect(run([{ type: "redo" }], s)).toBe(s);
    s = run([{ type: "undo" }, wp(5)], s);
    expect(canRedo(s)).toBe(false);
    const start = initialEditorState();
    expect(run([{ type: "undo" }], start)).toBe(start);
  });

  it("keeps the selection valid across undo", () => {
    const s = run([wp(0), wp(1), { type: "undo" }]);
    expect(s.selected).toBeNull();
  });

  it("bounds the history", () => {
    const s = run(Array.from({ length: HISTORY_LIMIT + 20 }, (_, i) => wp(i)));
    expect(s.past).toHaveLength(HISTORY_LIMIT);
    const undone = run(Array.from({ length: HISTORY_LIMIT + 5 }, () => ({ type: "undo" as const })), s);
    expect(undone.draft.items).toHaveLength(20);
    expect(undone.future).toHaveLength(HISTORY_LIMIT);
  });

  it("does not record UI changes (mode, selection) in the history", () => {
    const s = run([wp(0), { type: "setMode", mode: "rally" }, { type: "select", index: 0 }, { type: "select", index: 7 }]);
    expect(s.past).toHaveLength(1);
    expect(s.mode).toBe("rally");
    expect(s.selected).toBeNull();
  });
});
