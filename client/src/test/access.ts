// Test doubles shared by the access and panel tests (only tests import this).
import type { Result, VehicleKey } from "../../../server/protocol";
import type { ControlAction } from "../connection";
import type { LiveHandle, StartLiveOptions } from "../access/session";

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

type Route = (init: RequestInit | undefined) => Response;

/** A fetch test double answering by "METHOD /path"; unknown routes answer 404 and every call is recorded. */
export class FetchTestDouble {
  readonly calls: string[] = [];
  constructor(readonly routes: Record<string, Route> = {}) {}
  readonly fetch: typeof fetch = async (input, init) => {
    const key = `${init?.method ?? "GET"} ${String(input)}`;
    this.calls.push(key);
    const route = this.routes[key];
    return route ? route(init) : jsonResponse(404, { error: { code: "not_found", message: "no such route" } });
  };
}

/** Stands in for the socket: records that it was started and stopped, and answers requests as told. */
export class LiveTestDouble {
  started = 0;
  stopped = 0;
  options: StartLiveOptions | null = null;
  readonly requests: { action: ControlAction; key: VehicleKey }[] = [];
  /** Other requests (commands, missions, alerts): event and payload. */
  readonly calls: { event: string; payload: unknown }[] = [];
  answer: Result<unknown> = { ok: true, value: null };
  readonly start = (options: StartLiveOptions): LiveHandle => {
    this.started++;
    this.options = options;
    return {
      stop: () => this.stopped++,
      request: async (action, key) => {
        this.requests.push({ action, key });
        return this.answer;
      },
      call: async (event, payload) => {
        this.calls.push({ event, payload });
        return this.answer as never;
      },
    };
  };
}

