import "./styles/index.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { createSession, SessionProvider } from "./access";
import { asLiveSocket, createSocket, requestOverSocket, startLiveConnection, watchDetail } from "./connection";
import { createAppStore, StoreProvider } from "./store";

// Composition root of the client: the one place that builds the store and the session, which opens a
// socket (wired to the store) only once someone is signed in.
const store = createAppStore();
const session = createSession({
  store,
  startLive: ({ apply, onSessionEnded }) => {
    const socket = createSocket();
    const unwatch = watchDetail(socket, store);
    const conn = startLiveConnection({ socket: asLiveSocket(socket), apply, onSessionEnded });
    return {
      stop: () => {
        unwatch();
        conn.stop();
      },
      request: (action, key) => requestOverSocket(socket, action, { key }),
      call: (event, payload, timeoutMs) => requestOverSocket(socket, event, payload, timeoutMs),
    };
  },
});
void session.check();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <SessionProvider session={session}>
        <App />
      </SessionProvider>
    </StoreProvider>
  </StrictMode>,
);
