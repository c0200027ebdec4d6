import type { Logger } from "pino";
import { isUniqueViolation } from "../storage";
import type { FlightCatalogue, FlightStats, NewFlight, Seal } from "./catalogue";
import type { TlogWriter } from "./tlog-writer";

/** After a failed write, the next try. */
const RETRY_MS = 2_000;
/** Names tried for one flight's file before giving up on the row (each taken by another flight's row). */
const MAX_NAMES = 100;

/** One flight being recorded (or ended and not yet sealed), as the catalogue writer follows it. */
export interface LiveFlight {
  /** Its catalogue id: null until the row is written. */
  id: number | null;
  writer: TlogWriter;
  row: NewFlight;
  /** Statistics not written yet (the newest snapshot: each holds everything the earlier ones did). */
  stats: FlightStats | null;
  /** A pilot named since the last write. */
  pilot: string | null;
  /** The file's seal, once it is closed; the row is sealed after its last statistics. */
  seal: Seal | null;
  /** Names tried for the file (the first is row.tlogPath). */
  names: number;
}

export interface FlightRowsDeps {
  catalogue: FlightCatalogue;
  log: Logger;
  /** The file name after `tlogPath` for the n-th try (the catalogue has a row with that path already). */
  rename(flight: LiveFlight, n: number): string;
  /** The row of a flight was written: its id is known. */
  created(flight: LiveFlight): void;
  /** The catalogue cannot be written (message), or can again (null). Once per episode. */
  problem(message: string | null): void;
}

/**
 * The catalogue rows of the flights being recorded, written behind the recorder's tick: the tick never waits for
 * the database, and the database's pace never holds a packet.
 *
 * - A new flight's row is written at once. Its file is held (nothing reaches the disk) until the row exists, so a
 *   crash never leaves a file the catalogue does not know of, and a name taken by another flight's row is changed
 *   before anything is written under it. If the database refuses the row, the file is released anyway (the record
 *   matters more than its index) and the row is tried again every 2 s; should the server stop first, the file is
 *   catalogued by `flights rebuild`.
 * - Statistics and pilots go a batch per transaction (the newest snapshot of each flight), then seals, each after
 *   the flight's last statistics. A failed batch is kept and tried again.
 */
export class FlightRows {
  private readonly flights = new Set<LiveFlight>();
  private writing: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private failing = false;

  constructor(private readonly deps: FlightRowsDeps) {}

  /** A flight that started: its row is written now (its writer must be held). */
  add(flight: LiveFlight): void {
    this.flights.add(flight);
    this.kick();
  }

  /** Newer statistics and pilot of flights being recorded (and of one that ended, with its last statistics). */
  changed(): void {
    this.kick();
  }

  /** How many flights wait for a write (a row, statistics, a pilot or a seal). */
  get backlog(): number {
    let n = 0;
    for (const f of this.flights) if (pending(f)) n++;
    return n;
  }

  /** Resolves once everything asked so far was tried (written, or failed and kept for the next try). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Tries what waits once more, and stops retrying on a timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.flush();
    if ([...this.flights].some(pending)) {
      this.kick();
      await this.flush();
    }
    const left = [...this.flights].filter(pending);
    if (left.length > 0) {
      this.deps.log.error({ flights: left.map((f) => f.id ?? f.row.tlogPath) },
        "flight rows not written at stop: the next start seals those still marked recording; `flights rebuild` catalogues files without a row");
    }
  }

  private kick(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    if (this.retry) return;
    this.again = false;
    this.writing = this.write().then((ok) => {
      this.writing = null;
      if (!ok) this.scheduleRetry();
      else if (this.again) this.kick();
    });
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.kick();
    }, RETRY_MS);
    this.retry.unref();
  }

  /** One pass over what waits; false when something failed (kept for the next pass). */
  private async write(): Promise<boolean> {
    // Let the tick that asked for this finish first: its other changes go in the same transaction.
    await new Promise((resolve) => setImmediate(resolve));
    let ok = true;
    for (const f of this.flights) if (f.id === null) ok = await this.create(f) && ok;
    const updates = [...this.flights].filter((f) => f.id !== null && (f.stats !== null || f.pilot !== null));
    if (updates.length > 0) {
      const batch = updates.map((f) => ({ flight: f, id: f.id!, stats: f.stats, pilot: f.pilot }));
      for (const f of updates) {
        f.stats = null;
        f.pilot = null;
      }
      try {
        await this.deps.catalogue.updateMany(batch);
      } catch (err) {
        ok = false;
        this.failed(err, "flight statistics not written: kept, tried again");
        // Put back what no newer snapshot replaced meanwhile.
        for (const b of batch) {
          b.flight.stats ??= b.stats;
          b.flight.pilot ??= b.pilot;
        }
      }
    }
    for (const f of [...this.flights]) {
      if (f.id === null || f.seal === null || f.stats !== null || f.pilot !== null) continue;
      try {
        await this.deps.catalogue.seal(f.id, f.seal);
        this.flights.delete(f);
      } catch (err) {
        ok = false;
        this.failed(err, "flight seal not written: kept, tried again");
      }
    }
    if (ok && this.failing) {
      this.failing = false;
      this.deps.log.info("flight catalogue written again");
      this.deps.problem(null);
    }
    return ok;
  }

  private async create(f: LiveFlight): Promise<boolean> {
    for (;;) {
      try {
        f.id = await this.deps.catalogue.create(f.row);
        f.writer.release();
        this.deps.created(f);
        return true;
      } catch (err) {
        if (isUniqueViolation(err) && f.writer.isHeld && f.names < MAX_NAMES) {
          // Another flight's row has this path (two starts in one millisecond, or a file removed under retention):
          // nothing was written under it yet, so the next name is taken.
          f.names += 1;
          f.row = { ...f.row, tlogPath: this.deps.rename(f, f.names) };
          continue;
        }
        // The record goes on without its row; the row is tried again.
        f.writer.release();
        this.failed(err, "flight row not written: the file is recorded, the row tried again");
        return false;
      }
    }
  }

  private failed(err: unknown, message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.deps.log.error({ err }, message);
    this.deps.problem(`Flight catalogue: the database cannot be written (${(err as Error).message}). Flight files are still recorded; their rows are written when it is back.`);
  }
}

const pending = (f: LiveFlight): boolean => f.id === null || f.stats !== null || f.pilot !== null || f.seal !== null;
