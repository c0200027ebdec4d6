import { describe, expect, it } from "vitest";
import type { Incident } from "../../../../server/protocol";
import { changedFields, checkDraft, draftOf, emptyDraft, normaliseReference, parseUtcInput, utcInputOf, type IncidentDraft } from "./draft";

const T = Date.UTC(2026, 10, 21, 22, 30);
const good: IncidentDraft = {
  ...emptyDraft(T), reference: " cad  1234/21nov ", title: " Burglary ", officer: "PS 123 Khan", location: { kind: "point", lat: 51.5, lon: -0.12, radiusM: 250 },
};

describe("incident draft", () => {
  it("reads datetime-local values as UTC, whatever the browser's zone", () => {
    expect(utcInputOf(T)).toBe("2026-11-21T22:30");
    expect(parseUtcInput("2026-11-21T22:30")).toBe(T);
    expect(parseUtcInput("2026-11-21T22:30:15")).toBe(T + 15_000);
    expect(parseUtcInput("")).toBeNull();
    expect(parseUtcInput("21/11/2026 22:30")).toBeNull();
    expect(utcInputOf(null)).toBe("");
  });

  it("normalises the reference and trims the texts as the server stores them", () => {
    expect(normaliseReference(" cad  1234/21nov ")).toBe("CAD 1234/21NOV");
    const r = checkDraft(good);
    expect(r).toEqual({
      ok: true,
      input: { reference: "CAD 1234/21NOV", title: "Burglary", type: "search", location: good.location, start: T, end: null, officer: "PS 123 Khan", notes: "" },
    });
  });

  it("names each field the server would refuse, with the server's rule", () => {
    const r = checkDraft({ ...good, reference: "ABC", title: "  ", officer: "x".repeat(121), end: "2026-11-21T22:00", location: { kind: "area", points: [{ lat: 1, lon: 1 }] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual({
      reference: "a reference is 3 to 40 characters: letters, digits, spaces and / - . only, with at least one digit",
      title: "a title is required",
      officer: "the officer in charge is at most 120 characters",
      end: "the end must not be before the start",
      location: "an area needs 3 corners or more",
    });
    const bad = checkDraft({ ...good, reference: "CAD_12", location: { kind: "point", lat: 1, lon: 1, radiusM: 50_001 } });
    expect(bad.ok ? null : Object.keys(bad.problems)).toEqual(["reference", "location"]);
  });

  it("edits name only the fields that changed", () => {
    const incident: Incident = {
      id: 3, reference: "CAD 1234/21NOV", title: "Burglary", type: "search", status: "open", location: good.location, start: T, end: null,
      officer: "PS 123 Khan", notes: "", createdAt: T, createdBy: "rita", updatedAt: T, updatedBy: "rita", version: 1,
    };
    const after = checkDraft({ ...draftOf(incident), title: "Aggravated burglary", end: "2026-11-22T01:00" });
    expect(after.ok && changedFields(incident, after.input)).toEqual({ title: "Aggravated burglary", end: Date.UTC(2026, 10, 22, 1) });
    const same = checkDraft(draftOf(incident));
    expect(same.ok && changedFields(incident, same.input)).toEqual({});
  });
});
