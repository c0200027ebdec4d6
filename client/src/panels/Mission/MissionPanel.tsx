import { useMemo } from "react";
import { formatAge, formatAltitude, formatDistance } from "../../format";
import { FenceList } from "./FenceList";
import { ItemRow } from "./ItemRow";
import { newItem } from "./kinds";
import { itemProgress } from "./layerModel";
import { useMissionEditor } from "./MissionEditorContext";
import { MissionToolbar } from "./MissionToolbar";
import { countsText, syncText, vehiclePlanText } from "./summary";
import { VehicleActions } from "./VehicleActions";
import type { Problem } from "./validation";

function worstByItem(problems: readonly Problem[]): Map<number, "error" | "warning"> {
  const out = new Map<number, "error" | "warning">();
  for (const p of problems) if (p.item !== undefined && out.get(p.item) !== "error") out.set(p.item, p.severity);
  return out;
}

function ItemList() {
  const { state, dispatch, vehicle, inSync, problems } = useMissionEditor();
  const { items } = state.draft;
  const worst = useMemo(() => worstByItem(problems), [problems]);
  const flight = inSync ? (vehicle?.mission ?? null) : null;
  const after = state.selected ?? items.length - 1;
  const hasTakeoff = items.some((it) => it.command === 22);
  return (
    <section className="mission__section" aria-label="Mission items">
      <h3 className="mission__heading">Items <span className="panel-title__count">{items.length}</span></h3>
      {items.length === 0 ? (
        <p className="empty">No items: choose Waypoints and click the map.</p>
      ) : (
        <ul className="mission__list">
          {items.map((it, i) => (
            <ItemRow
              key={i}
              item={it}
              index={i}
              count={items.length}
              selected={state.selected === i}
              progress={itemProgress(i + 1, flight)}
              problem={worst.get(i) ?? null}
              dispatch={dispatch}
            />
          ))}
        </ul>
      )}
      <div className="mission__buttons">
        <button type="button" className="btn" disabled={hasTakeoff} onClick={() => dispatch({ type: "insertAfter", index: -1, item: newItem("takeoff", null, 30) })}>Add take-off</button>
        <button type="button" className="btn" onClick={() => dispatch({ type: "insertAfter", index: after, item: newItem("speed", null) })}>Add speed change</button>
        <button type="button" className="btn" onClick={() => dispatch({ type: "insertAfter", index: items.length - 1, item: newItem("rtl", null) })}>Add return to launch</button>
        <button type="button" className="btn" onClick={() => dispatch({ type: "insertAfter", index: items.length - 1, item: newItem("land", null) })}>Add land</button>
      </div>
    </section>
  );
}

function Stats() {
  const { stats } = useMissionEditor();
  return (
    <dl className="mission__stats" aria-label="Mission statistics">
      <div><dt>Distance</dt><dd data-testid="mission-distance">{formatDistance(stats.distanceM)}</dd></div>
      <div><dt>Est. time</dt><dd data-testid="mission-time">{formatAge(stats.timeS * 1000)}</dd></div>
      <div><dt>Items</dt><dd data-testid="mission-count">{stats.itemCount}</dd></div>
      <div><dt>Max alt.</dt><dd>{formatAltitude(stats.maxAltitudeM, 0)}</dd></div>
      <div><dt>Farthest</dt><dd>{formatDistance(stats.maxDistanceFromStartM)}</dd></div>
    </dl>
  );
}

function Problems() {
  const { problems, dispatch } = useMissionEditor();
  if (problems.length === 0) return <p className="mission__ok">No problems found.</p>;
  return (
    <ul className="mission__problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} className={`mproblem mproblem--${p.severity}`}>
          <span className="mproblem__tag">{p.severity === "error" ? "Error" : "Warning"}</span>
          {p.item === undefined ? p.message : (
            <button type="button" className="mproblem__link" onClick={() => dispatch({ type: "select", index: p.item ?? null })}>{p.message}</button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The mission editor side panel: tools, items, fence and rally, stats, problems, files and the vehicle. */
export function MissionPanel() {
  const { state, dispatch, vehicle, onVehicle, inSync } = useMissionEditor();
  const other = vehiclePlanText(onVehicle, inSync);
  return (
    <aside className="mission" aria-label="Mission editor">
      <header className="mission__header">
        <h2 className="panel-title">Mission {vehicle ? `for ${vehicle.key}` : "(no vehicle selected)"}</h2>
        <p className={inSync ? "mission__sync mission__sync--ok" : "mission__sync"} data-testid="mission-sync">{syncText(onVehicle, inSync)}</p>
        {other && <p className="mission__note">{other}</p>}
        <p className="mission__note">{countsText(state.draft)}</p>
      </header>
      <div className="mission__body">
        <MissionToolbar />
        <ItemList />
        <FenceList draft={state.draft} dispatch={dispatch} />
        <Stats />
        <Problems />
        <VehicleActions />
        <div className="mission__buttons">
          <button type="button" className="btn btn--quiet" onClick={() => dispatch({ type: "clear" })}>Clear draft</button>
        </div>
      </div>
    </aside>
  );
}
