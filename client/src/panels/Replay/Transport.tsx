import { useState } from "react";
import { REPLAY_SPEEDS, type ReplaySpeed, type ReplayState } from "../../../../server/protocol";
import { formatSpeed, parseSpeed } from "./keys";
import { formatOffset } from "./format";
import type { Span } from "./marks";

export interface TransportProps {
  state: ReplayState | null;
  span: Span;
  /** L presses so far: shows the loop's start before its end is set. */
  loopStart: number | null;
  onToggle(): void;
  onSpeed(speed: ReplaySpeed): void;
  onSeek(time: number): void;
  onCopyLink(): void;
}

const SPEEDS: readonly ReplaySpeed[] = [...REPLAY_SPEEDS, "max"];

/**
 * Play/pause, speed and a seek slider. The slider follows the session clock except while the reviewer drags it; each
 * move seeks (the view sends only the newest of the seeks made while one is under way).
 */
export function Transport({ state, span, loopStart, onToggle, onSpeed, onSeek, onCopyLink }: TransportProps) {
  const [dragging, setDragging] = useState<number | null>(null);
  const time = dragging ?? state?.time ?? span.start;
  const playing = state?.playing ?? false;
  const loop = state?.loop ?? null;
  return (
    <div className="replay-transport" role="group" aria-label="Replay transport">
      <button type="button" className="btn replay-transport__play" data-testid="replay-play" aria-pressed={playing}
        disabled={!state} onClick={onToggle} title="Play or pause (space)">
        {playing ? "Pause" : "Play"}
      </button>
      <label className="replay-transport__speed" title="Speed ([ and ])">
        Speed{" "}
        <select data-testid="replay-speed" value={formatSpeed(state?.speed ?? 1)} disabled={!state}
          onChange={(e) => { const s = parseSpeed(e.target.value); if (s !== null) onSpeed(s); }}>
          {SPEEDS.map((s) => <option key={String(s)} value={formatSpeed(s)}>{formatSpeed(s)}</option>)}
        </select>
      </label>
      <span className="replay-transport__offset" data-testid="replay-offset">{formatOffset(time - span.start)}</span>
      <input type="range" className="replay-transport__slider" aria-label="Seek" data-testid="replay-seek"
        min={span.start} max={Math.max(span.end, span.start + 1)} step={100} value={time} disabled={!state}
        onChange={(e) => { const t = Number(e.target.value); setDragging(t); onSeek(t); }}
        onPointerUp={() => setDragging(null)} onKeyUp={() => setDragging(null)} onBlur={() => setDragging(null)} />
      <span className="replay-transport__offset">{formatOffset(span.end - span.start)}</span>
      <span className="replay-transport__loop" data-testid="replay-loop">
        {loop ? `Loop ${formatOffset(loop.from - span.start)}–${formatOffset(loop.to - span.start)}`
          : loopStart !== null ? `Loop from ${formatOffset(loopStart - span.start)}… (L)` : "L: loop"}
      </span>
      <button type="button" className="btn btn--quiet" onClick={onCopyLink} title="Copy the link of this moment (C)">Copy link</button>
    </div>
  );
}
