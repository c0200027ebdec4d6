// A fake server for the flights page tests (only tests import this).
import { jsonResponse } from "./access";

export type FakeRoute = (url: URL, init: RequestInit | undefined) => Response | Promise<Response>;

/** Answers by "METHOD /path" (the query string is the route's business); records every URL asked for. */
export class FakeFlightsServer {
  readonly calls: { method: string; url: URL; init: RequestInit | undefined }[] = [];
  constructor(readonly routes: Record<string, FakeRoute>) {}

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), "http://localhost");
    const method = init?.method ?? "GET";
    this.calls.push({ method, url, init });
    const route = this.routes[`${method} ${url.pathname}`];
    return route ? route(url, init) : jsonResponse(404, { error: { code: "not_found", message: "no such flight" } });
  };

  /** The query strings of every GET /api/flights, in order. */
  listQueries(): URLSearchParams[] {
    return this.calls.filter((c) => c.method === "GET" && c.url.pathname === "/api/flights").map((c) => c.url.searchParams);
  }
}
