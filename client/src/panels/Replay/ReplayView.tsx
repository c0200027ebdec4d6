import { useEffect, useMemo, useState } from "react";
import type { ReplayInfo } from "../../../../server/protocol";
import { AlertsStrip } from "../Alerts";
import { InstrumentsPanel } from "../Instruments";
import { MapPanel, pointsBounds, type MapFitRequest } from "../Map";
import { StoreProvider, useAppStore, useVehicleList } from "../../store";
import { ColourDot } from "../../components";
import { FootageLane, FootageMapLayer, ReplayFootagePanel, useReplayFootage } from "../Footage";
import { ReplayCharts } from "./charts";
import { withBookmarks } from "./bookmarksApi";
import { BookmarksPanel } from "./BookmarksPanel";
import { keyColour } from "./colour";
import { ReplayBanner } from "./ReplayBanner";
import { HoverMarkers, RecordedMissions, RemainingTracks, useFlightTracks } from "./ReplayMapLayers";
import { Timeline } from "./Timeline";
import { Transport } from "./Transport";
import { useBookmarks } from "./useBookmarks";
import { useReplayControls } from "./useReplayControls";
import { useReplayKeys } from "./useReplayKeys";
import { useReplaySession } from "./useReplaySession";
import type { ReplayLink } from "./url";

const NO_FLIGHTS: ReplayInfo["flights"] = [];

/** The selected vehicle's instruments, and which vehicle that is. Read-only: a replay sends nothing to any drone. */
function ReplaySide() {
  const vehicles = useVehicleList();
  const selected = useAppStore((s) => s.selectedKey);
  const select = useAppStore((s) => s.select);
  // The first vehicle heard is shown until the reviewer picks another.
  useEffect(() => {
    if (selected === null && vehicles[0]) select(vehicles[0].key);
  }, [selected, vehicles, select]);
  return (
    <aside className="side replay-side" aria-label="Replayed vehicle">
      <div className="replay-side__pick" role="tablist">
        {vehicles.map((v) => (
          <button key={v.key} type="button" role="tab" aria-selected={v.key === selected} className="side__tab" onClick={() => select(v.key)}>
            <ColourDot colour={keyColour(v.key)} /> {v.key}
          </button>
        ))}
      </div>
      <div className="side__scroll">{selected && <InstrumentsPanel vehicleKey={selected} />}</div>
    </aside>
  );
}

function SelectedKey({ onChange }: { onChange(key: string | null): void }) {
  const key = useAppStore((s) => s.selectedKey);
  useEffect(() => onChange(key), [key, onChange]);
  return null;
}

/**
 * A replay: the live map, instruments and alerts strip fed by the replay's own store, with the replay banner,
 * transport, timeline, bookmarks and charts around them.
 */
export function ReplayView({ link, fetchFn }: { link: ReplayLink; fetchFn: typeof fetch }) {
  const { store, info, state, error, control } = useReplaySession(link);
  const flights = info?.flights ?? NO_FLIGHTS;
  const span = useMemo(() => ({ start: info?.start ?? 0, end: info?.end ?? 0 }), [info?.start, info?.end]);
  const controls = useReplayControls({ state, span, link, control });
  useReplayKeys(controls.onKey);
  const bookmarks = useBookmarks(flights, fetchFn);
  const marks = useMemo(() => withBookmarks(info?.marks ?? [], bookmarks.bookmarks, flights), [info?.marks, bookmarks.bookmarks, flights]);
  const tracks = useFlightTracks(flights, fetchFn);
  const footage = useReplayFootage(flights, fetchFn);
  const fit = useMemo<MapFitRequest | undefined>(() => {
    const points = tracks.flatMap((t) => t.lines.flat().map(([lat, lon]) => ({ lat, lon })));
    return points.length > 0 ? { key: `replay-${flights.map((f) => f.id).join(",")}`, bounds: pointsBounds(points) } : undefined;
  }, [tracks, flights]);
  const [hover, setHover] = useState<number | null>(null);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const time = state?.time ?? span.start;

  return (
    <StoreProvider store={store}>
      <div className="replay" data-testid="replay-view">
        <ReplayBanner info={info} state={state} error={error} notice={controls.notice} />
        <MapPanel fit={fit}>
          <RemainingTracks tracks={tracks} />
          <RecordedMissions />
          <HoverMarkers time={hover} />
          <FootageMapLayer items={footage} time={time} />
        </MapPanel>
        <ReplayFootagePanel items={footage} state={state} onSeek={controls.seek} onToggle={controls.toggle} />
        <ReplaySide />
        <SelectedKey onChange={setSelectedKey} />
        <div className="replay-bottom">
          <Transport state={state} span={span} loopStart={controls.loopStart} onToggle={controls.toggle} onSpeed={controls.setSpeed}
            onSeek={controls.seek} onCopyLink={controls.copyLink} />
          <div className="replay-bottom__row">
            <Timeline flights={flights} marks={marks} span={span} time={time} loop={state?.loop ?? null} onSeek={controls.seek} />
            <BookmarksPanel flights={flights} bookmarks={bookmarks.bookmarks} loadError={bookmarks.error} time={time}
              loop={state?.loop ?? null} selectedVehicle={selectedKey} onAdd={bookmarks.add} onSeek={controls.seek} />
          </div>
          <FootageLane items={footage} span={span} time={time} onSeek={controls.seek} />
          {info && <ReplayCharts flights={flights} time={time} range={span} onSeek={controls.seek} onHover={setHover} />}
        </div>
        <AlertsStrip />
      </div>
    </StoreProvider>
  );
}
