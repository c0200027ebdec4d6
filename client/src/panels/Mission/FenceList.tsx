import type { Mission } from "../../../../server/protocol";
import { formatCoordinates } from "../../format";
import { NumberField } from "./NumberField";
import type { EditorAction } from "./reducer";

const zoneName = (inclusion: boolean) => (inclusion ? "Inclusion" : "Exclusion");

function ZoneKind({ label, inclusion, onChange }: { label: string; inclusion: boolean; onChange: (inclusion: boolean) => void }) {
  return (
    <select className="mrow__kind" aria-label={`${label} type`} value={inclusion ? "in" : "out"} onChange={(e) => onChange(e.target.value === "in")}>
      <option value="in">Inclusion (stay inside)</option>
      <option value="out">Exclusion (stay out)</option>
    </select>
  );
}

/** Fence zones and rally points of the draft, each with its few editable numbers and a delete button. */
export function FenceList({ draft, dispatch }: { draft: Mission; dispatch: (a: EditorAction) => void }) {
  const { polygons, circles } = draft.fence;
  if (polygons.length + circles.length + draft.rally.length === 0) return null;
  return (
    <section className="mission__section" aria-label="Fence and rally points">
      <h3 className="mission__heading">Fence and rally points</h3>
      <ul className="mission__list">
        {polygons.map((p, i) => {
          const label = `Fence polygon ${i + 1}`;
          return (
            <li key={`p${i}`} className={`mrow mrow--fence mrow--${p.inclusion ? "inclusion" : "exclusion"}`} aria-label={`${label}: ${zoneName(p.inclusion)}`}>
              <span className="mrow__seq">P{i + 1}</span>
              <ZoneKind label={label} inclusion={p.inclusion} onChange={(inclusion) => dispatch({ type: "setPolygonInclusion", polygon: i, inclusion })} />
              <span className="mrow__buttons">
                <button type="button" className="btn btn--icon btn--danger" aria-label={`Delete ${label.toLowerCase()}`} onClick={() => dispatch({ type: "deletePolygon", polygon: i })}>✕</button>
              </span>
              <span className="mrow__fields"><span className="mrow__where">{p.points.length} corners</span></span>
            </li>
          );
        })}
        {circles.map((c, i) => {
          const label = `Fence circle ${i + 1}`;
          return (
            <li key={`c${i}`} className={`mrow mrow--fence mrow--${c.inclusion ? "inclusion" : "exclusion"}`} aria-label={`${label}: ${zoneName(c.inclusion)}`}>
              <span className="mrow__seq">C{i + 1}</span>
              <ZoneKind label={label} inclusion={c.inclusion} onChange={(inclusion) => dispatch({ type: "setCircleInclusion", circle: i, inclusion })} />
              <span className="mrow__buttons">
                <button type="button" className="btn btn--icon btn--danger" aria-label={`Delete ${label.toLowerCase()}`} onClick={() => dispatch({ type: "deleteCircle", circle: i })}>✕</button>
              </span>
              <span className="mrow__fields">
                <NumberField label={`${label} radius`} unit="m" min={1} digits={0} value={c.radius} onCommit={(radius) => dispatch({ type: "setRadius", circle: i, radius })} />
              </span>
            </li>
          );
        })}
        {draft.rally.map((r, i) => (
          <li key={`r${i}`} className="mrow mrow--rally" aria-label={`Rally point ${i + 1}`}>
            <span className="mrow__seq">R{i + 1}</span>
            <span className="mrow__kind mrow__kind--text">Rally point</span>
            <span className="mrow__buttons">
              <button type="button" className="btn btn--icon btn--danger" aria-label={`Delete rally point ${i + 1}`} onClick={() => dispatch({ type: "deleteRally", index: i })}>✕</button>
            </span>
            <span className="mrow__fields">
              <NumberField label={`Rally point ${i + 1} altitude`} unit="m" min={0} value={r.alt} onCommit={(alt) => dispatch({ type: "setRallyAltitude", index: i, alt })} />
              <span className="mrow__where">{formatCoordinates(r.lat, r.lon)}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
