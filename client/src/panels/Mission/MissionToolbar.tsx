import { MODE_HINTS } from "./layerModel";
import { useMissionEditor } from "./MissionEditorContext";
import { canRedo, canUndo, type ToolMode } from "./reducer";

// The visible text is the accessible name (what the tests and screen readers use).
const TOOLS: { mode: ToolMode; text: string }[] = [
  { mode: "select", text: "Select" },
  { mode: "waypoint", text: "Add waypoints" },
  { mode: "polygon", text: "Fence polygon" },
  { mode: "circle", text: "Fence circle" },
  { mode: "rally", text: "Rally points" },
];

/** Tool modes (what a map click does), undo/redo, and the controls of a fence polygon being drawn. */
export function MissionToolbar() {
  const { state, dispatch } = useMissionEditor();
  const { mode, pending, inclusion } = state;
  const fenceTool = mode === "polygon" || mode === "circle";
  return (
    <div className="mission__tools">
      <div className="mission__buttons" role="toolbar" aria-label="Map tools">
        {TOOLS.map((t) => (
          <button
            key={t.mode}
            type="button"
            className={mode === t.mode ? "btn btn--active" : "btn"}
            aria-pressed={mode === t.mode}
            onClick={() => dispatch({ type: "setMode", mode: mode === t.mode ? "select" : t.mode })}
          >
            {t.text}
          </button>
        ))}
        <span className="mission__spacer" />
        <button type="button" className="btn btn--icon" aria-label="Undo" title="Undo" disabled={!canUndo(state)} onClick={() => dispatch({ type: "undo" })}>↶</button>
        <button type="button" className="btn btn--icon" aria-label="Redo" title="Redo" disabled={!canRedo(state)} onClick={() => dispatch({ type: "redo" })}>↷</button>
      </div>
      <p className="mission__hint">{MODE_HINTS[mode]}</p>
      {fenceTool && (
        <div className="mission__buttons">
          <select className="mrow__kind" aria-label="New fence zone type" value={inclusion ? "in" : "out"} onChange={(e) => dispatch({ type: "setInclusion", inclusion: e.target.value === "in" })}>
            <option value="in">Inclusion (stay inside)</option>
            <option value="out">Exclusion (stay out)</option>
          </select>
          {mode === "polygon" && (
            <>
              <span className="mission__pending">{pending.length} corners</span>
              <button type="button" className="btn" disabled={pending.length < 3} onClick={() => dispatch({ type: "finishPolygon" })}>Finish polygon</button>
              <button type="button" className="btn" disabled={pending.length === 0} onClick={() => dispatch({ type: "pendingUndo" })}>Remove last corner</button>
              <button type="button" className="btn" disabled={pending.length === 0} onClick={() => dispatch({ type: "pendingCancel" })}>Cancel polygon</button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
