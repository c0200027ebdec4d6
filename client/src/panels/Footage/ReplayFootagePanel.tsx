import { useEffect, useRef, useState, type RefObject } from "react";
import type { ReplayState } from "../../../../server/protocol";
import { formatUtcMs } from "./format";
import { frameUtc, planVideo, sessionTimeAt, videoTimeAt } from "./sync";
import { chooseItem, itemKey, sourceOf, type ReplayFootageItem } from "./useReplayFootage";

/** How close a "seeked" must land to the time we asked for to be our own seek rather than the reviewer's. */
const OWN_SEEK_S = 0.05;

interface VideoProps {
  item: ReplayFootageItem;
  state: ReplayState | null;
  onSeek(time: number): void;
  onToggle(): void;
}

/** Writes the frame's UTC straight into the label: a re-render per frame would cost the whole panel. */
function useFrameClock(video: RefObject<HTMLVideoElement | null>, label: RefObject<HTMLSpanElement | null>, startsAt: number) {
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const show = (mediaTime: number) => {
      const el = label.current;
      if (!el) return;
      const utc = frameUtc(mediaTime, startsAt);
      el.textContent = `frame at ${formatUtcMs(utc)}`;
      el.dataset["utc"] = String(Math.round(utc));
    };
    const onSeeked = () => show(v.currentTime);
    v.addEventListener("seeked", onSeeked);
    // requestVideoFrameCallback gives the time of the frame on screen; where a browser lacks it, timeupdate will do.
    if (typeof v.requestVideoFrameCallback === "function") {
      let handle = 0;
      const onFrame: VideoFrameRequestCallback = (_now, meta) => {
        show(meta.mediaTime);
        handle = v.requestVideoFrameCallback(onFrame);
      };
      handle = v.requestVideoFrameCallback(onFrame);
      return () => {
        v.cancelVideoFrameCallback(handle);
        v.removeEventListener("seeked", onSeeked);
      };
    }
    const onTime = () => show(v.currentTime);
    v.addEventListener("timeupdate", onTime);
    return () => {
      v.removeEventListener("timeupdate", onTime);
      v.removeEventListener("seeked", onSeeked);
    };
  }, [video, label, startsAt]);
}

/** The video follows the replay's clock; a seek (or play/pause) on the video moves the replay. */
function SyncedVideo({ item, state, onSeek, onToggle }: VideoProps) {
  const video = useRef<HTMLVideoElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const ownSeek = useRef<number | null>(null);
  const wantPlaying = useRef(false);
  const [duration, setDuration] = useState(item.footage.probe.durationS);
  const { startsAt } = item.sync;
  const shift = item.flight.shiftMs;
  const target = state ? videoTimeAt(state.time, startsAt, shift) : -1;
  const inside = target >= 0 && target <= duration;
  useFrameClock(video, label, startsAt);

  useEffect(() => {
    const v = video.current;
    if (!v || !state) return;
    const plan = planVideo({ target, duration, current: v.currentTime, playing: state.playing, speed: state.speed });
    wantPlaying.current = plan.play;
    v.playbackRate = plan.rate;
    if (plan.seekTo !== null) {
      ownSeek.current = plan.seekTo;
      v.currentTime = plan.seekTo;
    }
    // A refused autoplay leaves the video paused; the replay plays on and the reviewer can press play.
    if (plan.play && v.paused) Promise.resolve(v.play()).catch(() => undefined);
    if (!plan.play && !v.paused) v.pause();
  }, [state, target, duration]);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const onSeeked = () => {
      const own = ownSeek.current;
      if (own !== null && Math.abs(v.currentTime - own) < OWN_SEEK_S) {
        ownSeek.current = null;
        return;
      }
      onSeek(sessionTimeAt(v.currentTime, startsAt, shift));
    };
    // The reviewer pressing play or pause on the video does it to the replay, which the video then follows.
    const onPlay = () => { if (!wantPlaying.current) onToggle(); };
    const onPause = () => { if (wantPlaying.current && !v.ended && !v.seeking) onToggle(); };
    const onMeta = () => { if (Number.isFinite(v.duration) && v.duration > 0) setDuration(v.duration); };
    v.addEventListener("seeked", onSeeked);
    v.addEventListener("play", onPlay);
    v.addEventListener("pause", onPause);
    v.addEventListener("loadedmetadata", onMeta);
    return () => {
      v.removeEventListener("seeked", onSeeked);
      v.removeEventListener("play", onPlay);
      v.removeEventListener("pause", onPause);
      v.removeEventListener("loadedmetadata", onMeta);
    };
  }, [onSeek, onToggle, startsAt, shift]);

  return (
    <div className="replay-footage__screen">
      <video ref={video} className="replay-footage__video" src={sourceOf(item) ?? undefined} muted playsInline controls preload="auto"
        data-testid="replay-footage-video" />
      {sourceOf(item) === null && (
        <p className="replay-footage__none" data-testid="replay-footage-unplayable">
          {`A browser cannot play this original (${item.footage.probe.video.codec}) and its browser copy is not made yet`}
        </p>
      )}
      {!inside && <p className="replay-footage__none" data-testid="replay-footage-none">No footage at this moment</p>}
      <span ref={label} className="replay-footage__utc" data-testid="replay-footage-utc" aria-live="off" />
    </div>
  );
}

export interface ReplayFootagePanelProps {
  items: readonly ReplayFootageItem[];
  state: ReplayState | null;
  onSeek(time: number): void;
  onToggle(): void;
}

/** The footage of the replayed flights, one file at a time (the one running at the replay's moment), in step. */
export function ReplayFootagePanel({ items, state, onSeek, onToggle }: ReplayFootagePanelProps) {
  const [picked, setPicked] = useState<string | null>(null);
  const item = chooseItem(items, state?.time ?? null, picked);
  if (!item) return null;
  return (
    <aside className="replay-footage" aria-label="Footage" data-testid="replay-footage" data-footage={item.footage.id}>
      <div className="replay-footage__head">
        {items.length > 1 ? (
          <select aria-label="Footage shown" value={itemKey(item)} onChange={(e) => setPicked(e.target.value)} data-testid="replay-footage-pick">
            {items.map((it) => <option key={itemKey(it)} value={itemKey(it)}>{`${it.footage.originalName} (flight ${it.flight.id})`}</option>)}
          </select>
        ) : <span title={item.footage.originalName}>{item.footage.originalName}</span>}
      </div>
      <SyncedVideo key={`${itemKey(item)}-${item.sync.id}`} item={item} state={state} onSeek={onSeek} onToggle={onToggle} />
    </aside>
  );
}
