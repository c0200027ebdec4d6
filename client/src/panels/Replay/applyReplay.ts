import type { AppStore, LiveEvent } from "../../store";

/**
 * The server sends a snapshot on open and after every seek: it is the whole truth at the new moment, trails
 * included. The live store keeps trails and messages across snapshots (a reconnect must not erase where drones
 * have been); a replay must forget them, or a seek backwards would still show the future. So a batch holding a
 * snapshot first clears the replay's store (keeping the selected vehicle), then applies from that snapshot on.
 * Connection changes in the batch before it are kept.
 */
export function replayApplier(store: AppStore): (events: readonly LiveEvent[]) => void {
  return (events) => {
    let last = -1;
    events.forEach((e, i) => {
      if (e.kind === "snapshot") last = i;
    });
    const s = store.getState();
    if (last < 0) return s.applyEvents(events);
    const { selectedKey, follow } = s;
    s.reset();
    const before = events.slice(0, last).filter((e) => e.kind === "connection");
    store.getState().applyEvents([...before, ...events.slice(last)]);
    const after = store.getState();
    if (selectedKey !== null && after.vehicles[selectedKey]) {
      after.select(selectedKey);
      after.setFollow(follow);
    }
  };
}
