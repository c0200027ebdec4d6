/**
 * One "viewed" audit entry per user, file and half hour: a video player asks for many byte ranges of one viewing,
 * and each is not a new access. Bounded: past MAX_KEYS remembered viewings it starts over (an extra entry, never a
 * missed one). One per server, shared by the routes that stream originals and derivatives.
 */
const EVERY_MS = 30 * 60_000;
const MAX_KEYS = 10_000;

export class ViewAudit {
  private readonly last = new Map<string, number>();

  /** Whether the viewing of `file` by `user` at `now` is to be audited (and, if so, remembers it). */
  due(user: string, file: string, now: number): boolean {
    const key = `${user}\u0000${file}`;
    const last = this.last.get(key);
    if (last !== undefined && now - last <= EVERY_MS) return false;
    if (this.last.size >= MAX_KEYS) this.last.clear();
    this.last.set(key, now);
    return true;
  }
}
