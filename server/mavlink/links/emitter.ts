/** A small typed event emitter: node's EventEmitter loses the listener types, and a listener's error must not
 * escape into a socket callback (it would be an uncaught exception). */
type Listener = (...args: never[]) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  /** Called with whatever a listener threw; the other listeners still run. */
  constructor(private readonly onListenerError: (err: unknown, event: keyof Events) => void) {}

  on<E extends keyof Events>(event: E, listener: Events[E]): void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Resolves with the arguments of the next `event`. */
  once<E extends keyof Events>(event: E): Promise<Parameters<Events[E]>> {
    return new Promise((resolve) => {
      const listener = ((...args: Parameters<Events[E]>) => {
        this.off(event, listener);
        resolve(args);
      }) as unknown as Events[E];
      this.on(event, listener);
    });
  }

  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as unknown as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }
}
