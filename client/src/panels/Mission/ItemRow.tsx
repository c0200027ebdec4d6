import { memo } from "react";
import type { MissionItem } from "../../../../server/protocol";
import { formatCoordinates } from "../../format";
import { EDITABLE_KINDS, editableParam, hasAltitude, hasPosition, type ItemKind, KIND_LABELS, kindLabel, kindOf } from "./kinds";
import { NumberField } from "./NumberField";
import type { ItemProgress } from "./layerModel";
import type { EditorAction } from "./reducer";

export interface ItemRowProps {
  item: MissionItem;
  index: number;
  count: number;
  selected: boolean;
  progress: ItemProgress;
  /** Worst problem of this item, if any. */
  problem: "error" | "warning" | null;
  dispatch: (a: EditorAction) => void;
}

function ItemRowView({ item, index, count, selected, progress, problem, dispatch }: ItemRowProps) {
  const seq = index + 1;
  const kind = kindOf(item);
  const param = editableParam(item);
  const classes = ["mrow", selected && "mrow--selected", `mrow--${progress}`, problem && `mrow--${problem}`].filter(Boolean).join(" ");
  return (
    <li
      className={classes}
      aria-label={`Item ${seq}: ${kindLabel(item)}`}
      aria-current={selected ? "true" : undefined}
      data-testid={`mission-row-${seq}`}
      onClick={() => dispatch({ type: "select", index })}
    >
      <span className="mrow__seq">{seq}</span>
      <select
        className="mrow__kind"
        aria-label={`Item ${seq} kind`}
        value={kind}
        onChange={(e) => dispatch({ type: "setKind", index, kind: e.target.value as Exclude<ItemKind, "other"> })}
      >
        {kind === "other" && <option value="other" disabled>{kindLabel(item)}</option>}
        {EDITABLE_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
      </select>
      {/* Acting on a row must not also re-select it (a delete would select the next item). */}
      <span className="mrow__buttons" onClick={(e) => e.stopPropagation()}>
        <button type="button" className="btn btn--icon" aria-label={`Move item ${seq} up`} disabled={index === 0} onClick={() => dispatch({ type: "reorderItem", from: index, to: index - 1 })}>↑</button>
        <button type="button" className="btn btn--icon" aria-label={`Move item ${seq} down`} disabled={index === count - 1} onClick={() => dispatch({ type: "reorderItem", from: index, to: index + 1 })}>↓</button>
        <button type="button" className="btn btn--icon" aria-label={`Insert waypoint after item ${seq}`} onClick={() => dispatch({ type: "insertAfter", index })}>+</button>
        <button type="button" className="btn btn--icon btn--danger" aria-label={`Delete item ${seq}`} onClick={() => dispatch({ type: "deleteItem", index })}>✕</button>
      </span>
      <span className="mrow__fields">
        {hasAltitude(item) && (
          <NumberField label={`Item ${seq} altitude`} unit="m" min={0} value={item.alt} onCommit={(alt) => dispatch({ type: "setAltitude", index, alt })} />
        )}
        {param && (
          <NumberField
            label={`Item ${seq} ${param.label}`}
            unit={param.unit}
            min={0}
            value={item.params[param.index]}
            onCommit={(value) => dispatch({ type: "setParam", index, param: param.index, value })}
          />
        )}
        {hasPosition(item) && <span className="mrow__where">{formatCoordinates(item.lat, item.lon)}</span>}
        {progress !== "planned" && <span className="mrow__progress">{progress === "current" ? "flying to" : "reached"}</span>}
      </span>
    </li>
  );
}

export const ItemRow = memo(ItemRowView);
