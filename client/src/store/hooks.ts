import { useEffect, useState } from "react";
import type { VehicleState } from "../../../server/protocol";
import { useAppStore } from "./context";
import { makeSelectVehicleList, serverNow } from "./selectors";

/** Vehicles sorted by sysid/compid; the array keeps its identity until a vehicle changes. */
export function useVehicleList(): readonly VehicleState[] {
  const [select] = useState(makeSelectVehicleList);
  return useAppStore(select);
}

/** The client clock, re-read every `periodMs`: drives live ages ("lost 12 s") between frames. */
export function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(id);
  }, [periodMs]);
  return now;
}

/** The server clock, ticking every `periodMs`. */
export function useServerNow(periodMs = 1000): number {
  const now = useNow(periodMs);
  const offset = useAppStore((s) => s.clockOffsetMs);
  return serverNow({ clockOffsetMs: offset }, now);
}
