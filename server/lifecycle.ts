/**
 * What the composition root built, stopped in reverse order of building: a component stops before what it
 * uses (the web server before the recorder it reads, the recorder before the database it writes).
 */
export class StopStack {
  private readonly stops: Array<() => unknown> = [];

  /** Registers how to stop what was just built or started. */
  add(stop: () => unknown): void {
    this.stops.push(stop);
  }

  /** Stops everything, newest first. The first failure ends it and is thrown: what is left stays as it is. */
  async stopAll(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop();
  }
}
