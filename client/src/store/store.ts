import { createStore, type StoreApi } from "zustand/vanilla";
import type { ClientConfig } from "../../../server/protocol";
import { applyEvents, applySignedIn, applySignedOut, initialData, resetData } from "./reducers";
import type { AppState } from "./types";

export type AppStore = StoreApi<AppState>;

/** Creates the one client store. Built by main.tsx (or a test) and handed down: no module-level instance. */
export function createAppStore(config?: ClientConfig): AppStore {
  return createStore<AppState>()((set) => ({
    ...initialData(config),
    applyEvents: (events) => {
      if (events.length > 0) set((s) => applyEvents(s, events));
    },
    setConfig: (next) => set({ config: next, configLoaded: true }),
    select: (key) => set((s) => (s.selectedKey === key ? s : { selectedKey: key, follow: key === null ? false : s.follow })),
    setFollow: (follow) => set((s) => ({ follow: follow && s.selectedKey !== null })),
    clearTrails: () => set({ trails: {} }),
    reset: () => set((s) => resetData(s)),
    checkingAuth: () => set((s) => ({ auth: { ...s.auth, status: "checking" } })),
    signedIn: (user) => set((s) => applySignedIn(s, user)),
    signedOut: (reason) => set((s) => applySignedOut(s, reason)),
    setView: (view) => set({ view }),
  }));
}
