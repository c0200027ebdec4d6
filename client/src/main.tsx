import "./styles/index.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { asLiveSocket, createSocket, loadClientConfig, startLiveConnection } from "./connection";
import { createAppStore, StoreProvider } from "./store";

// Composition root of the client: the one place that builds the store and wires the socket to it.
const store = createAppStore();
loadClientConfig(store.getState().setConfig);
startLiveConnection({ socket: asLiveSocket(createSocket()), apply: store.getState().applyEvents });

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
