import { useCallback, useEffect, useRef, useState } from "react";
import type { ReplayControl, ReplayInfo, ReplayState } from "../../../../server/protocol";
import { loadClientConfig, startLiveConnection } from "../../connection";
import { createAppStore, type AppStore } from "../../store";
import { replayApplier } from "./applyReplay";
import { controlReplay, createReplaySocket, openReplay, replayAsLiveSocket, type ReplaySocket } from "./socket";
import type { ReplayLink } from "./url";

export interface ReplaySession {
  /** The replay's own store: the live panels read it through <StoreProvider store={store}>. */
  store: AppStore;
  info: ReplayInfo | null;
  state: ReplayState | null;
  /** Why nothing replays (refused, file unreadable, closed by the server), worded for the reviewer. */
  error: string | null;
  control(c: ReplayControl): Promise<void>;
}

/**
 * Vehicles in a replay are judged by their own recorded link state: the live "no heartbeat for 5 s" rule reads the
 * wall clock, which keeps running while a replay is paused, and would grey out every drone after 5 s of pause.
 */
function replayStore(): AppStore {
  const store = createAppStore();
  store.setState({ config: { ...store.getState().config, lostAfterMs: Number.POSITIVE_INFINITY } });
  return store;
}

/** A refused control is worth a line until the next one succeeds; a refused session stays. */
const NOT_DONE = "Not done: ";

const REFUSALS: Record<string, string> = {
  forbidden: "Replay is for reviewers and admins: this account may not open it.",
  unauthenticated: "Not signed in: sign in again to replay.",
};

/**
 * One replay session per view: a "/replay" socket whose live events feed the view's own store through the same
 * connection layer as live, and whose replay state drives the transport. A reconnect opens the session again at
 * the moment it had reached.
 */
export function useReplaySession(link: ReplayLink): ReplaySession {
  const [store] = useState(replayStore);
  const [info, setInfo] = useState<ReplayInfo | null>(null);
  const [state, setState] = useState<ReplayState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const socketRef = useRef<ReplaySocket | null>(null);
  const timeRef = useRef<number | null>(link.t);
  const { flights, t, align } = link;
  const flightsKey = flights.join(",");

  useEffect(() => {
    const stopConfig = loadClientConfig((config) => store.setState({ config: { ...config, lostAfterMs: Number.POSITIVE_INFINITY }, configLoaded: true }));
    return stopConfig;
  }, [store]);

  useEffect(() => {
    const socket = createReplaySocket();
    socketRef.current = socket;
    timeRef.current = t;
    const ids = flightsKey.split(",").map(Number);
    const onConnect = () => {
      void openReplay(socket, { flights: ids, alignTakeoff: align, ...(timeRef.current !== null ? { at: timeRef.current } : {}) })
        .then((r) => {
          if (r.ok) {
            setInfo(r.value);
            setError(null);
          } else setError(`The replay could not be opened: ${r.error.message}`);
        });
    };
    const onState = (s: ReplayState) => {
      timeRef.current = s.time;
      setState(s);
    };
    const onClosed = (reason: string) => setError(`The server closed this replay: ${reason}`);
    const onRefused = (e: Error) => {
      const refusal = REFUSALS[e.message];
      if (refusal) {
        setError(refusal);
        socket.disconnect();
      }
    };
    socket.on("connect", onConnect);
    socket.on("replay:state", onState);
    socket.on("replay:closed", onClosed);
    socket.on("connect_error", onRefused);
    const conn = startLiveConnection({ socket: replayAsLiveSocket(socket), apply: replayApplier(store), onSessionEnded: () => undefined });
    return () => {
      socket.off("connect", onConnect);
      socket.off("replay:state", onState);
      socket.off("replay:closed", onClosed);
      socket.off("connect_error", onRefused);
      conn.stop();
      socketRef.current = null;
    };
  }, [store, flightsKey, t, align]);

  const control = useCallback(async (c: ReplayControl) => {
    const socket = socketRef.current;
    if (!socket) return;
    const r = await controlReplay(socket, c);
    if (r.ok) {
      timeRef.current = r.value.time;
      setState(r.value);
      setError((old) => (old?.startsWith(NOT_DONE) ? null : old));
    } else setError(`${NOT_DONE}${r.error.message}`);
  }, []);

  return { store, info, state, error, control };
}
