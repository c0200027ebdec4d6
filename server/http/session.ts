import type { Request, Response } from "express";
import type { SessionStore } from "../auth";
import { tokenHash } from "../auth";
import type { Role } from "../protocol";

export const SESSION_COOKIE = "dmc_session";

/** The signed-in user of a request, set by the access check. */
export interface RequestUser {
  userId: number;
  name: string;
  roles: Role[];
  token: string;
  sessionHash: string;
}

declare module "express-serve-static-core" {
  interface Request {
    user?: RequestUser;
  }
}

/** The value of one cookie in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The user behind a Cookie header, or null without a live session (idle and absolute expiry are checked). */
export async function sessionOf(sessions: Pick<SessionStore, "validate">, cookieHeader: string | undefined): Promise<RequestUser | null> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  if (!token) return null;
  const r = await sessions.validate(token);
  if (!r.ok) return null;
  return { userId: r.session.userId, name: r.session.name, roles: r.session.roles, token, sessionHash: tokenHash(token) };
}

function cookie(req: Request, value: string, maxAgeSeconds: number): string {
  // Secure only over https: the server is usually reached over http on the unit's own network.
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${req.secure ? "; Secure" : ""}`;
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: number, now: number): void {
  res.append("Set-Cookie", cookie(req, token, Math.max(1, Math.floor((expiresAt - now) / 1000))));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append("Set-Cookie", cookie(req, "", 0));
}
