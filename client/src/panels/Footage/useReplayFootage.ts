import { useEffect, useState } from "react";
import { playbackOf, playbackUrl, type FootagePoint, type FootageSummary, type FootageSync, type ReplayFlight } from "../../../../server/protocol";
import { createFootageApi } from "./api";

/** A footage file placed on a replayed flight, with the camera's own track where its sidecar gave one. */
export interface ReplayFootageItem {
  footage: FootageSummary;
  sync: FootageSync;
  flight: ReplayFlight;
  track: FootagePoint[];
}

/**
 * The footage of every replayed flight, loaded once per set of flights. A flight whose footage cannot be read
 * simply has none here: the replay plays on without it.
 */
export function useReplayFootage(flights: readonly ReplayFlight[], fetchFn: typeof fetch): ReplayFootageItem[] {
  const [items, setItems] = useState<ReplayFootageItem[]>([]);
  useEffect(() => {
    if (flights.length === 0) return;
    const api = createFootageApi(fetchFn);
    const abort = new AbortController();
    const { signal } = abort;
    void Promise.all(flights.map(async (flight) => {
      const placed = await api.ofFlight(flight.id, signal).then((r) => r.footage, () => []);
      return Promise.all(placed.map(async ({ footage, sync }) => ({
        footage, sync, flight, track: await api.track(footage.id, signal).catch((): FootagePoint[] => []),
      })));
    })).then((all) => {
      if (!signal.aborted) setItems(all.flat());
    });
    return () => abort.abort();
  }, [flights, fetchFn]);
  return items;
}

/** Where the file spans the session clock, UTC ms. */
export const spanOf = (item: ReplayFootageItem): { from: number; to: number } => {
  const from = item.sync.startsAt + item.flight.shiftMs;
  return { from, to: from + item.footage.probe.durationS * 1000 };
};

/**
 * The file the replay's player loads: the original, or its browser copy where a browser cannot play the original
 * (the copy keeps the original's frame times, so the sync offset holds for it unchanged); null when neither plays.
 */
export const sourceOf = (item: ReplayFootageItem): string | null => playbackUrl(item.footage.id, playbackOf(item.footage));

export const itemKey = (item: ReplayFootageItem) => `${item.flight.id}-${item.footage.id}`;

/**
 * The file to show at a moment: the one the reviewer picked while it has footage there; otherwise the first that
 * does (clips of one flight follow each other); otherwise the picked one, or the first.
 */
export function chooseItem(items: readonly ReplayFootageItem[], time: number | null, picked: string | null): ReplayFootageItem | null {
  const chosen = items.find((i) => itemKey(i) === picked) ?? null;
  const covers = (i: ReplayFootageItem) => time !== null && time >= spanOf(i).from && time <= spanOf(i).to;
  if (chosen && covers(chosen)) return chosen;
  return items.find(covers) ?? chosen ?? items[0] ?? null;
}
