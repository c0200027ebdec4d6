import type { FlightMessagesResponse } from "../../../../server/protocol";
import { SEVERITY_SHORT, severityTone } from "../../components";
import { formatDateTime } from "./format";

export interface FlightMessagesProps {
  messages: FlightMessagesResponse | null;
  error: string | null;
}

/** What the vehicle told its ground station during the flight (STATUSTEXT), oldest first, coloured by severity. */
export function FlightMessages({ messages, error }: FlightMessagesProps) {
  const list = messages?.messages ?? [];
  return (
    <section className="flights__messages" aria-label="Vehicle messages">
      <h4 className="flights__label">{`Vehicle messages${messages ? ` (${list.length.toLocaleString("en-GB")})` : ""}`}</h4>
      {error && <p className="tone--caution">{`Messages could not be loaded: ${error}`}</p>}
      {!error && messages === null && <p className="empty">Loading messages…</p>}
      {messages !== null && list.length === 0 && <p className="empty">The vehicle sent no messages during this flight.</p>}
      {list.length > 0 && (
        <ol className="flights__message-list" data-testid="flight-messages">
          {list.map((m) => {
            const tone = severityTone(m.severity);
            return (
              <li key={m.seq} className={`flights__message flights__message--${tone}`} data-severity={m.severity}>
                <time className="flights__message-time" dateTime={new Date(m.time).toISOString()}>{formatDateTime(m.time).slice(11)}</time>
                <span className={`flights__message-sev tone--${tone}`}>{SEVERITY_SHORT[m.severity] ?? m.severity}</span>
                <span className="flights__message-text">{m.text}</span>
              </li>
            );
          })}
        </ol>
      )}
      {messages !== null && messages.dropped > 0 && (
        <p className="tone--caution" data-testid="flight-messages-dropped">
          {`${messages.dropped.toLocaleString("en-GB")} later messages are not listed (over ${messages.limit.toLocaleString("en-GB")} in one flight); the .tlog holds them all.`}
        </p>
      )}
    </section>
  );
}
