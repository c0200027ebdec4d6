/**
 * The replay sessions of the server: opens one per reviewer's request (flights found, files checked against their
 * seal, seek indexes loaded or built off the event loop), bounded in number, each with its own pipelines.
 */
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type {
  Bookmark, FlightSummary, ReplayControl, ReplayFlight, ReplayInfo, ReplayMark, ReplayOpenRequest, ReplayState, Result,
} from "../protocol";
import { REPLAY_MAX_FLIGHTS, fail, ok } from "../protocol";
import type { AlertConfig } from "../config";
import { DEFAULT_ALERT_CONFIG } from "../config";
import type { FlightCatalogue } from "../flights";
import type { IndexMeta } from "./index-format";
import { SeekIndexes } from "./index-store";
import { FlightPipeline } from "./pipeline";
import { ReplaySession } from "./session";
import type { SessionFlight } from "./session";
import { shiftLink, shiftText } from "./shift";
import { HistoryPlayer } from "./history";
import type { ReplaySink } from "./sink";
import { integrityWarning, withMarks } from "./open-info";

export type { ReplaySink } from "./sink";

export interface ReplaySessionsDeps {
  catalogue: Pick<FlightCatalogue, "get">;
  integrity: { current(flight: FlightSummary, why: string, user: string): Promise<FlightSummary> };
  bookmarksOf(flightIds: number[]): Promise<Bookmark[]>;
  dataDir: string;
  log: Logger;
  tickMs?: number;
  maxSessions?: number;
  /** Sessions one user may have open at once (default 4): one reviewer's tabs cannot take every session. */
  maxPerUser?: number;
  /** The alert rules' settings (the live server's); the defaults otherwise. */
  alerts?: AlertConfig;
  /** Checkpoint spacing of new indexes, ms (tests). */
  checkpointMs?: number;
}

export interface ReplayHandle {
  readonly info: ReplayInfo;
  control(c: ReplayControl): Result<ReplayState>;
  close(): void;
}

interface Opened {
  flight: FlightSummary;
  file: string;
  index: string;
  meta: IndexMeta;
}

export class ReplaySessions {
  /** Open sessions, each with what closes it and its files. */
  private readonly sessions = new Map<ReplaySession, () => Promise<void>>();
  private opening = 0;
  /** Who opened each session, and opens in progress per user: the per-user bound. */
  private readonly owners = new Map<ReplaySession, string>();
  private readonly openingBy = new Map<string, number>();
  private readonly indexes: SeekIndexes;

  constructor(private readonly deps: ReplaySessionsDeps) {
    this.indexes = new SeekIndexes({
      dataDir: deps.dataDir, alerts: deps.alerts ?? DEFAULT_ALERT_CONFIG, log: deps.log.child({ part: "replay-index" }),
      ...(deps.checkpointMs !== undefined ? { checkpointMs: deps.checkpointMs } : {}),
    });
  }

  count(): number {
    return this.sessions.size;
  }

  async open(user: string, req: ReplayOpenRequest, sink: ReplaySink): Promise<Result<ReplayHandle>> {
    const ids = req.flights;
    if (ids.length === 0 || ids.length > REPLAY_MAX_FLIGHTS || new Set(ids).size !== ids.length) {
      return fail("bad_request", `replay 1 to ${REPLAY_MAX_FLIGHTS} different flights`);
    }
    if (this.sessions.size + this.opening >= (this.deps.maxSessions ?? 16)) {
      return fail("replay_busy", "too many replays are open: try again when one is closed");
    }
    const mine = [...this.owners.values()].filter((u) => u === user).length + (this.openingBy.get(user) ?? 0);
    const perUser = this.deps.maxPerUser ?? 4;
    if (mine >= perUser) return fail("replay_busy", `you have ${mine} replays open (at most ${perUser}): close one first`);
    this.opening++;
    this.openingBy.set(user, (this.openingBy.get(user) ?? 0) + 1);
    try {
      return await this.openReserved(user, req, sink);
    } finally {
      this.opening--;
      const left = (this.openingBy.get(user) ?? 1) - 1;
      if (left > 0) this.openingBy.set(user, left);
      else this.openingBy.delete(user);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((close) => close()));
  }

  private async openReserved(user: string, req: ReplayOpenRequest, sink: ReplaySink): Promise<Result<ReplayHandle>> {
    const warnings: string[] = [];
    const opened: Opened[] = [];
    for (const id of req.flights) {
      const found = await this.deps.catalogue.get(id);
      if (!found) return fail("not_found", `there is no flight ${id}`);
      const flight = await this.deps.integrity.current(found, "replay", user);
      const file = insideDataDir(this.deps.dataDir, flight.tlogPath);
      if (file === null || flight.integrity.state === "missing" || !fs.existsSync(file)) {
        return fail("file_unreadable", `flight ${id}: its .tlog (${flight.tlogPath}) is missing from the data directory`);
      }
      const warning = integrityWarning(flight);
      if (warning) warnings.push(warning);
      try {
        const target = { tlogPath: file, sha256: flight.sha256, vehicle: flight.vehicle.key };
        const meta = await this.indexes.load(target);
        if (meta.first === null) return fail("file_unreadable", `flight ${id}: its .tlog holds no readable packet`);
        opened.push({ flight, file, index: this.indexes.pathOf(target), meta });
      } catch (err) {
        this.deps.log.warn({ err, flight: id }, "replay: flight file unreadable");
        return fail("file_unreadable", `flight ${id}: its .tlog cannot be read (${(err as Error).message})`);
      }
    }
    const shifts = shiftsOf(opened, req.alignTakeoff === true);
    const flights: ReplayFlight[] = opened.map((o, i) => ({
      id: o.flight.id, vehicle: o.flight.vehicle.key, vehicleType: o.flight.vehicle.type, startedAt: o.flight.startedAt,
      endedAt: o.flight.endedAt ?? o.meta.last ?? o.flight.startedAt, shiftMs: shifts[i]!, integrity: o.flight.integrity.state,
      sha256: o.flight.sha256,
    }));
    const clash = sameVehicleOverlap(opened, shifts);
    if (clash) return fail("bad_request", clash);
    const start = Math.min(...opened.map((o, i) => o.meta.first! + shifts[i]!));
    const end = Math.max(...opened.map((o, i) => o.meta.last! + shifts[i]!));
    const marks: ReplayMark[] = withMarks(opened.map((o) => o.meta), flights, await this.deps.bookmarksOf(req.flights), warnings);
    const info: ReplayInfo = { start, end, flights, marks, warnings };
    return this.startSession(user, opened, info, req.at ?? start, sink);
  }

  private async startSession(user: string, opened: Opened[], info: ReplayInfo, at: number, sink: ReplaySink): Promise<Result<ReplayHandle>> {
    const log = this.deps.log;
    const files = await openAll([...opened.map((o) => o.file), ...opened.map((o) => o.index)]);
    if (!files.ok) return files;
    const handles = files.value.slice(0, opened.length);
    const indexes = files.value.slice(opened.length);
    let idBase = 0;
    const flights: SessionFlight[] = opened.map((o, i) => {
      const shift = info.flights[i]!.shiftMs;
      // The rules ran when the file was indexed: the session plays their history (exact after any seek).
      const pipeline = new FlightPipeline({ alerts: null, log }, {
        statusText: (e) => sink.statusText(shiftText(e, shift)),
        link: (e) => sink.link(shiftLink(e, shift)),
      });
      const history = new HistoryPlayer(o.meta.history, idBase);
      idBase += HistoryPlayer.maxId(o.meta.history);
      return { flight: info.flights[i]!, meta: o.meta, fh: handles[i]!, idx: indexes[i]!, pipeline, history };
    });
    const closeFiles = () => Promise.all([...handles, ...indexes].map((h) => h.close().catch(() => undefined)));
    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        this.sessions.delete(session);
        this.owners.delete(session);
        await session.close();
        await closeFiles();
      })();
      return closing;
    };
    let started = false;
    let startFailure: Error | null = null;
    const session: ReplaySession = new ReplaySession(flights, info, sink, {
      tickMs: this.deps.tickMs ?? 100,
      log,
      onFailure: (err) => {
        log.warn({ err, flights: info.flights.map((f) => f.id) }, "replay stopped: file unreadable");
        if (!started) startFailure = err;
        else sink.closed?.(`a flight's file became unreadable: ${err.message}`);
        void close();
      },
    });
    this.sessions.set(session, close);
    this.owners.set(session, user);
    await session.start(Math.min(info.end, Math.max(info.start, at)));
    started = true;
    if (startFailure !== null) return fail("file_unreadable", `a flight's file cannot be read: ${(startFailure as Error).message}`);
    return ok({ info, control: (c) => session.control(c), close: () => void close() });
  }
}

async function openAll(files: string[]): Promise<Result<fs.promises.FileHandle[]>> {
  const opened: fs.promises.FileHandle[] = [];
  try {
    for (const f of files) opened.push(await fs.promises.open(f, "r"));
    return ok(opened);
  } catch (err) {
    await Promise.all(opened.map((h) => h.close().catch(() => undefined)));
    return fail("file_unreadable", `a flight's file cannot be opened: ${(err as Error).message}`);
  }
}

/** One vehicle replayed twice at the same moments would be one marker jumping between two flights: refused. */
function sameVehicleOverlap(opened: Opened[], shifts: number[]): string | null {
  for (let i = 0; i < opened.length; i++) {
    for (let j = i + 1; j < opened.length; j++) {
      const [a, b] = [opened[i]!, opened[j]!];
      if (a.flight.vehicle.key !== b.flight.vehicle.key) continue;
      if (a.meta.first! + shifts[i]! <= b.meta.last! + shifts[j]! && b.meta.first! + shifts[j]! <= a.meta.last! + shifts[i]!) {
        return `flights ${a.flight.id} and ${b.flight.id} are the same vehicle at the same time: replay them one after the other`;
      }
    }
  }
  return null;
}

/** The file of a catalogue path, or null for one pointing outside the data directory. */
function insideDataDir(dataDir: string, tlogPath: string): string | null {
  const root = path.resolve(dataDir);
  const file = path.resolve(root, tlogPath);
  const rel = path.relative(root, file);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? null : file;
}

/** "Align at take-off": every flight's take-off (its arming, its start) at the first flight's. */
function shiftsOf(opened: Opened[], align: boolean): number[] {
  if (!align) return opened.map(() => 0);
  const anchor = (o: Opened) => {
    const v = o.meta.vehicles.find((x) => x.key === o.flight.vehicle.key) ?? o.meta.vehicles[0];
    return v?.takeoff ?? v?.armed ?? o.flight.armedAt ?? o.meta.first!;
  };
  const first = anchor(opened[0]!);
  return opened.map((o) => Math.round(first - anchor(o)));
}
