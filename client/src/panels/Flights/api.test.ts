import { describe, expect, it } from "vitest";
import { jsonResponse } from "../../test/access";
import { createFlightsApi, exportUrl } from "./api";
import { samplePage } from "../../test/flights";

function recorder(answer: () => Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init });
    return answer();
  };
  return { calls, fetchFn };
}

describe("createFlightsApi", () => {
  it("lists with the query and the session cookie", async () => {
    const { calls, fetchFn } = recorder(() => jsonResponse(200, samplePage([])));
    await expect(createFlightsApi(fetchFn).list({ vehicle: "1:1", offset: 0, limit: 50 })).resolves.toEqual(samplePage([]));
    expect(calls[0]?.url).toBe("/api/flights?vehicle=1%3A1&offset=0&limit=50");
    expect(calls[0]?.init?.credentials).toBe("same-origin");
  });

  it("posts notes as JSON", async () => {
    const { calls, fetchFn } = recorder(() => jsonResponse(200, { id: 1, author: "rita", time: 5, text: "ok" }));
    await createFlightsApi(fetchFn).addNote(7, "ok");
    expect(calls[0]?.url).toBe("/api/flights/7/notes");
    expect(calls[0]?.init?.method).toBe("POST");
    expect(calls[0]?.init?.body).toBe('{"text":"ok"}');
    expect((calls[0]?.init?.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });

  it("throws the server's error, or words the status", async () => {
    const refused = recorder(() => jsonResponse(403, { error: { code: "forbidden", message: "reviewers only" } }));
    await expect(createFlightsApi(refused.fetchFn).get(7)).rejects.toMatchObject({ status: 403, code: "forbidden", message: "reviewers only" });
    const broken = recorder(() => new Response("oops", { status: 502 }));
    await expect(createFlightsApi(broken.fetchFn).track(7)).rejects.toMatchObject({ code: "http_502", message: "HTTP 502" });
    const down: typeof fetch = async () => { throw new TypeError("network"); };
    await expect(createFlightsApi(down).get(7)).rejects.toMatchObject({ code: "unreachable" });
  });

  it("builds export links", () => {
    expect(exportUrl(7, "kml")).toBe("/api/flights/7/export?format=kml");
  });
});
