import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { AppStore } from "./store";
import type { AppState } from "./types";

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext value={store}>{children}</StoreContext>;
}

export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useAppStore must be used inside <StoreProvider>");
  return store;
}

/** Subscribes a component to one slice of the store; it re-renders only when that slice changes (Object.is). */
export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
