import type { Generated } from "kysely";
import type { FlightStatus, Severity } from "../protocol";
import type { CheckedState } from "./integrity-store";

/**
 * The flight tables as the query builder sees them, on both engines: flights and flight_notes (migration 6; the
 * status of 10; packets_in, packets_out and messages_dropped of 12), flight_integrity (10), flight_messages (12),
 * flight_tombstones (20, written by retention).
 */
export interface FlightTables {
  flights: {
    id: Generated<number>;
    vehicle_key: string;
    sysid: number;
    compid: number;
    vehicle_type: string;
    vehicle_name: string | null;
    started_at: number;
    ended_at: Generated<number | null>;
    armed_at: Generated<number | null>;
    disarmed_at: Generated<number | null>;
    distance_m: Generated<number>;
    max_alt_rel_m: Generated<number | null>;
    max_dist_home_m: Generated<number | null>;
    takeoff_lat: Generated<number | null>;
    takeoff_lon: Generated<number | null>;
    landing_lat: Generated<number | null>;
    landing_lon: Generated<number | null>;
    min_lat: Generated<number | null>;
    min_lon: Generated<number | null>;
    max_lat: Generated<number | null>;
    max_lon: Generated<number | null>;
    pilot: string | null;
    tlog_path: string;
    size_bytes: Generated<number | null>;
    sha256: Generated<string | null>;
    status: FlightStatus;
    packets: Generated<number>;
    previous_id: number | null;
    source: string;
    packets_in: Generated<number | null>;
    packets_out: Generated<number | null>;
    messages_dropped: Generated<number>;
    /** The server whose data directory holds the file (migration 23; null: one server, or from before). */
    recorded_by: Generated<string | null>;
  };
  flight_notes: {
    id: Generated<number>;
    flight_id: number;
    author: string;
    time: number;
    text: string;
  };
  flight_messages: {
    flight_id: number;
    seq: number;
    time: number;
    severity: Severity;
    text: string;
  };
  flight_integrity: {
    flight_id: number;
    state: CheckedState;
    checked_at: number;
    hashed_at: number | null;
    size_bytes: number | null;
    mtime_ms: number | null;
    ctime_ms: number | null;
    actual_sha256: string | null;
    audited: string | null;
  };
  flight_tombstones: {
    flight_id: number;
    deleted_at: number;
    requested_by: string;
    reason: string;
    request: number;
  };
}
