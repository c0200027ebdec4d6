import { useState } from "react";

export interface NumberFieldProps {
  label: string;
  value: number | null;
  onCommit: (value: number) => void;
  unit?: string;
  min?: number;
  step?: number;
  digits?: number;
}

/**
 * A number input that commits on Enter or blur, not on every keystroke: one undo step per edit, and a half-typed
 * "1" of "120" never reaches the plan. While not focused it shows the current value (so undo shows up in it).
 */
export function NumberField({ label, value, onCommit, unit, min, step = 1, digits = 1 }: NumberFieldProps) {
  const [text, setText] = useState<string | null>(null);
  const shown = value === null ? "" : String(Number(value.toFixed(digits)));
  const commit = () => {
    if (text === null) return;
    const n = Number(text);
    if (text.trim() !== "" && Number.isFinite(n) && (min === undefined || n >= min)) onCommit(n);
    setText(null);
  };
  return (
    <label className="mfield">
      <input
        type="number"
        aria-label={label}
        className="mfield__input"
        value={text ?? shown}
        step={step}
        min={min}
        onFocus={() => setText(shown)}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setText(null);
        }}
      />
      {unit && <span className="mfield__unit">{unit}</span>}
    </label>
  );
}
