import { createContext, useContext, type ReactNode } from "react";
import type { Session } from "./session";

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext value={session}>{children}</SessionContext>;
}

/** The session, or null outside a SessionProvider (panels rendered alone in tests show no controls then). */
export function useSession(): Session | null {
  return useContext(SessionContext);
}
