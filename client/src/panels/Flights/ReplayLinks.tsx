import { REPLAY_MAX_FLIGHTS } from "../../../../server/protocol";

/** Where the replay of these flights opens (its own page: a reviewer can keep the catalogue open in another tab). */
export function replayHref(ids: readonly number[], align = false): string {
  return `/replay?flights=${ids.join(",")}${align ? "&align=1" : ""}`;
}

export const reportHref = (id: number) => `/report?flight=${id}`;

/** The selected flight's replay and printable report. */
export function FlightReplayLinks({ flightId }: { flightId: number }) {
  return (
    <div className="flights__replay-links">
      <a className="btn btn--small" href={replayHref([flightId])} data-testid="flight-replay">Replay</a>
      <a className="btn btn--small btn--quiet" href={reportHref(flightId)} data-testid="flight-report">Report</a>
    </div>
  );
}

/**
 * The flights ticked in the list, replayed together on one clock (an incident's drones), or aligned at take-off to
 * compare flights of different days.
 */
export function PickedReplay({ ids, onClear }: { ids: readonly number[]; onClear(): void }) {
  if (ids.length === 0) return null;
  const tooMany = ids.length > REPLAY_MAX_FLIGHTS;
  return (
    <span className="flights__picked" data-testid="flights-picked">
      {tooMany ? (
        <span className="tone--caution">{`At most ${REPLAY_MAX_FLIGHTS} flights replay together (${ids.length} ticked)`}</span>
      ) : (
        <>
          <a className="btn btn--small" href={replayHref(ids)} data-testid="flights-replay-picked">
            {ids.length === 1 ? "Replay 1 flight" : `Replay ${ids.length} flights`}
          </a>
          {ids.length > 1 && <a className="btn btn--small btn--quiet" href={replayHref(ids, true)}>aligned at take-off</a>}
        </>
      )}
      <button type="button" className="btn btn--small btn--quiet" onClick={onClear}>Clear</button>
    </span>
  );
}
