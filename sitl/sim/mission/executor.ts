/**
 * AUTO mode's mission logic, as ArduCopter runs it (AP_Mission + ModeAuto), on the items of a MissionServer.
 * The vehicle calls step() every tick with where it is and flies the target it gets back; the executor sends
 * MISSION_ITEM_REACHED and the STATUSTEXTs in the order of the recorded flight (copter_flight_1_events.txt):
 * "Mission: 1 Takeoff"; reached 1, "Mission: 2 WP"; reached 2, "Reached command #2", "Mission: 3 WP"; ...
 */
import { commandName, isNavCommand } from "./items";
import { reached, targetOf } from "./nav";
import type { ActiveCommand, NavState, NavTarget } from "./nav";
import type { MissionServer } from "./server";
import { CMD, MISSION_STATE, SEVERITY } from "./types";
import type { MissionHost, MissionItem } from "./types";

export interface MissionExecutorOptions {
  /** WPNAV_RADIUS in metres (ArduCopter default 2 m). */
  acceptanceRadiusM?: () => number;
  takeoffMarginM?: number;
}

/** AP_Mission gives up after this many DO/jump hops without reaching a nav command. */
const MAX_HOPS = 64;

export class MissionExecutor {
  private cur = 0;
  private running = false;
  private inAuto = false;
  private finished = false;
  private speed: number | null = null;
  private cmd: ActiveCommand | null = null;
  private cmdItem = "";
  private readonly jumps = new Map<number, number>();
  private readonly radius: () => number;
  private readonly takeoffMarginM: number;

  constructor(private readonly server: MissionServer, private readonly host: MissionHost, opts: MissionExecutorOptions = {}) {
    this.radius = opts.acceptanceRadiusM ?? (() => 2);
    this.takeoffMarginM = opts.takeoffMarginM ?? 1;
    server.onSetCurrent((seq) => {
      if (this.setCurrent(seq)) host.send("MISSION_CURRENT", this.missionCurrent());
    });
    server.onChange(() => this.missionChanged());
  }

  /** Nav item being flown (MISSION_CURRENT.seq); 0 before a start and after completion. */
  get current(): number {
    return this.cur;
  }

  /** Items without home (MISSION_CURRENT.total). */
  get total(): number {
    return Math.max(0, this.server.items().length - 1);
  }

  /** MISSION_STATE for MISSION_CURRENT.mission_state. */
  get state(): number {
    if (this.server.items().length <= 1) return MISSION_STATE.NO_MISSION;
    if (this.finished) return MISSION_STATE.COMPLETE;
    if (this.running) return MISSION_STATE.ACTIVE;
    return this.cur > 1 ? MISSION_STATE.PAUSED : MISSION_STATE.NOT_STARTED;
  }

  /** Horizontal speed set by DO_CHANGE_SPEED (m/s), null while the vehicle's own default applies. */
  get speedOverride(): number | null {
    return this.speed;
  }

  /** The fields of MISSION_CURRENT as ArduPilot fills them. */
  missionCurrent(): { seq: number; total: number; mission_state: number; mission_mode: number } {
    return { seq: this.cur, total: this.total, mission_state: this.state, mission_mode: this.inAuto ? 1 : 0 };
  }

  /**
   * Entering AUTO. False (refused) without a mission, or, given the vehicle's state, when it sits armed on the
   * ground and the mission does not start with a takeoff ("Auto: Missing Takeoff Cmd"). Resumes a stopped mission
   * at its current item, restarts a finished one.
   */
  start(nav?: NavState): boolean {
    const items = this.server.items();
    if (items.length <= 1) return false;
    if (nav?.armed && nav.landed && !this.startsWithTakeoff(items)) {
      this.host.statusText(SEVERITY.CRITICAL, "Auto: Missing Takeoff Cmd");
      return false;
    }
    const from = this.finished || this.cur === 0 ? 1 : this.cur;
    if (from === 1) this.jumps.clear();
    this.running = true;
    this.inAuto = true;
    this.finished = false;
    this.begin(from);
    return true;
  }

  /** Leaving AUTO: the mission stops where it is (PAUSED) and resumes there on the next start(). */
  stop(): void {
    this.running = false;
    this.inAuto = false;
  }

  step(nav: NavState, now: number): NavTarget {
    const items = this.server.items();
    const item = this.cmd ? items[this.cmd.seq] : undefined;
    if (!this.running || !this.cmd || !item) return { kind: "done" };
    const homeAlt = this.host.home()?.altAmsl ?? 0;
    const target = targetOf(item, this.cmd, nav, homeAlt);
    const opts = { acceptanceRadiusM: this.radius(), takeoffMarginM: this.takeoffMarginM };
    if (!reached(item, this.cmd, target, nav, now, opts)) return target;
    this.host.send("MISSION_ITEM_REACHED", { seq: item.seq });
    // Only verify_nav_wp and verify_loiter_time announce it; takeoff, land and RTL do not.
    if (item.command === CMD.NAV_WAYPOINT || item.command === CMD.NAV_LOITER_TIME) {
      this.host.statusText(SEVERITY.INFO, `Reached command #${item.seq}`);
    }
    this.begin(item.seq + 1);
    const next = this.cmd ? this.server.items()[this.cmd.seq] : undefined;
    return this.running && this.cmd && next ? targetOf(next, this.cmd, nav, homeAlt) : { kind: "done" };
  }

  /**
   * MISSION_SET_CURRENT / DO_SET_MISSION_CURRENT. Running: jump there now. Stopped: the next start() resumes
   * there. False when there is no such item.
   */
  setCurrent(seq: number): boolean {
    const items = this.server.items();
    const target = Math.max(1, seq);
    if (target >= items.length) return false;
    this.finished = false;
    if (this.running) {
      this.begin(target);
    } else {
      this.cur = target;
      this.cmd = null;
    }
    return true;
  }

  /** Runs DO items from seq up to the next nav item and starts that; no nav item left completes the mission. */
  private begin(seq: number): void {
    const items = this.server.items();
    const doneDo: number[] = [];
    let s = seq;
    for (let hops = 0; hops < MAX_HOPS + items.length && s < items.length; hops++) {
      const item = items[s]!;
      if (item.command === CMD.DO_JUMP) {
        s = this.jump(item) ?? s + 1;
        continue;
      }
      this.host.statusText(SEVERITY.INFO, `Mission: ${s} ${commandName(item.command)}`);
      if (isNavCommand(item.command)) {
        this.cur = s;
        this.cmd = { seq: s, anchor: null, holdSinceMs: null };
        this.cmdItem = JSON.stringify(item);
        this.reachedDo(doneDo);
        return;
      }
      this.doCommand(item);
      doneDo.push(s);
      s++;
    }
    this.reachedDo(doneDo);
    this.complete();
  }

  /** DO items are verified on the next AP_Mission update, after the nav item has started. */
  private reachedDo(seqs: number[]): void {
    for (const seq of seqs) this.host.send("MISSION_ITEM_REACHED", { seq });
  }

  /** DO_JUMP: param1 target, param2 repeats (-1 for ever); the seq to go on from, or null once used up. */
  private jump(item: MissionItem): number | null {
    const done = this.jumps.get(item.seq) ?? 0;
    if (item.param2 >= 0 && done >= item.param2) return null;
    this.jumps.set(item.seq, done + 1);
    return Math.max(1, Math.round(item.param1));
  }

  private doCommand(item: MissionItem): void {
    // DO_CHANGE_SPEED: param1 speed type (0 air, 1 ground; 2/3 climb/descent not modelled), param2 m/s, -1 = no change.
    if (item.command === CMD.DO_CHANGE_SPEED && item.param1 <= 1 && item.param2 > 0) this.speed = item.param2;
  }

  private complete(): void {
    this.running = false;
    this.finished = true;
    this.cur = 0;
    this.cmd = null;
  }

  /** A new upload while flying: ArduPilot restarts the current command if it changed, ends if it is gone. */
  private missionChanged(): void {
    const items = this.server.items();
    if (!this.running || !this.cmd) {
      if (!this.running) this.cmd = null;
      if (this.cur >= items.length) this.cur = 0;
      return;
    }
    const item = items[this.cmd.seq];
    if (!item) return this.complete();
    if (JSON.stringify(item) === this.cmdItem) return;
    this.host.statusText(SEVERITY.CRITICAL, "Auto mission changed, restarted command");
    this.begin(this.cmd.seq);
  }

  private startsWithTakeoff(items: MissionItem[]): boolean {
    const firstNav = items.slice(1).find((i) => isNavCommand(i.command));
    return firstNav?.command === CMD.NAV_TAKEOFF;
  }
}
