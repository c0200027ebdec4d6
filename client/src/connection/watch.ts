import { watchedKeys, type AppStore } from "../store";
import type { TypedSocket } from "./socket";

/**
 * Keeps the server told which vehicles this screen draws the instruments of ("vehicles:watch"): their detail fields
 * (attitude, air speed) come only to screens that ask. Sent when the set changes and again on every (re)connection,
 * since the server knows a socket's watches only for as long as it is connected. Returns the function that stops it.
 */
export function watchDetail(socket: Pick<TypedSocket, "on" | "off" | "emit" | "connected">, store: AppStore): () => void {
  let last: string | null = null;
  const send = (force: boolean) => {
    const keys = watchedKeys(store.getState());
    const id = keys.join(",");
    if (!force && id === last) return;
    last = id;
    // An event without an acknowledgement is dropped by the server; the answer carries nothing this screen needs.
    if (socket.connected) socket.emit("vehicles:watch", { keys }, () => undefined);
  };
  const onConnect = () => send(true);
  socket.on("connect", onConnect);
  const unsubscribe = store.subscribe(() => send(false));
  return () => {
    unsubscribe();
    socket.off("connect", onConnect);
  };
}
