import type { Decoded } from "../mavlink";

type Listener = (decoded: Decoded) => void;

/** Listeners per vehicle (sysid:compid), for the protocol clients that wait for one vehicle's answers. */
export class VehicleListeners {
  private readonly sets = new Map<string, Set<Listener>>();

  /** Adds a listener for one vehicle; returns its removal. */
  add(sysid: number, compid: number, listener: Listener): () => void {
    const id = `${sysid}:${compid}`;
    let set = this.sets.get(id);
    if (!set) {
      set = new Set();
      this.sets.set(id, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.sets.get(id) === set) this.sets.delete(id);
    };
  }

  /** The current listeners of the vehicle that sent `decoded` (a copy: a listener may remove itself). */
  of(decoded: Decoded): Listener[] {
    const set = this.sets.get(`${decoded.sysid}:${decoded.compid}`);
    return set ? [...set] : [];
  }
}
