import type { IncidentMarker } from "../protocol";
import type { IncidentStore } from "./store";

/**
 * The open incidents drawn on every live map, as last read from the store. A screen's snapshot takes them from here
 * without a query; a change (created, edited, closed, reopened) reads them again and hands them on. Reads that
 * overlap end in the order they began: an older read finishing late never replaces a newer one.
 */
export class OpenIncidents {
  private markers: IncidentMarker[] = [];
  private started = 0;
  private applied = 0;

  constructor(private readonly store: Pick<IncidentStore, "markers">) {}

  current(): IncidentMarker[] {
    return this.markers;
  }

  /** Reads them again; resolves with the list now held (null when a newer read had already been applied). */
  async refresh(): Promise<IncidentMarker[] | null> {
    const mine = ++this.started;
    const markers = await this.store.markers();
    if (mine < this.applied) return null;
    this.applied = mine;
    this.markers = markers;
    return markers;
  }
}
