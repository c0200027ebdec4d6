import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { CSV_HEADER, csv, csvField } from "./csv";
import { geojson } from "./geojson";
import { GPX_NAMESPACE, gpx } from "./gpx";
import { KML_NAMESPACE, kml } from "./kml";
import { escapeXml } from "./text";
import { FIXTURE_POSITIONS, collect, fixtureSamples, fromArray, sample, testFlight, text } from "../../../test/support/flights/export-fixtures";

type Node = Record<string, unknown>;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["trkpt", "Placemark", "Style"].includes(name) });

function parseXml(xml: string): Record<string, unknown> {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Record<string, unknown>;
}

/** A vehicle name as typed by someone: markup characters, quotes and a control character XML cannot hold. */
const AWKWARD = "Alpha <&> \"B\" 'C' \u0007]]>";

interface GpxDoc { gpx: { "@version": string; "@xmlns": string; metadata: { name: string; time: string }; trk: { name: string; trkseg: { trkpt: { "@lat": string; "@lon": string; ele: number; time: string }[] } } } }
interface KmlPlacemark { name: string; LineString?: { altitudeMode: string; coordinates: string }; Point?: { coordinates: string } }
interface KmlDoc { kml: { "@xmlns": string; Document: { name: string; Placemark: KmlPlacemark[] } } }

describe("GPX export", () => {
  it("is GPX 1.1: one track, one segment, a point per position with lat/lon in range, elevation and ISO time", async () => {
    const doc = parseXml(await text(gpx(fixtureSamples(), testFlight()))) as unknown as GpxDoc;
    expect(doc.gpx["@version"]).toBe("1.1");
    expect(doc.gpx["@xmlns"]).toBe(GPX_NAMESPACE);
    expect(doc.gpx.metadata.time).toMatch(ISO);
    const points = doc.gpx.trk.trkseg.trkpt;
    expect(points).toHaveLength(FIXTURE_POSITIONS);
    for (const p of points) {
      expect(Math.abs(Number(p["@lat"]))).toBeLessThanOrEqual(90);
      expect(Math.abs(Number(p["@lon"]))).toBeLessThanOrEqual(180);
      // xsd:decimal: no exponent.
      expect(p["@lat"]).toMatch(/^-?\d+\.\d+$/);
      expect(typeof p.ele).toBe("number");
      expect(p.time).toMatch(ISO);
    }
    expect(Number(points[0]!["@lat"])).toBeCloseTo(51.5074, 3);
  });

  it("has its elements in the order of the GPX 1.1 schema's sequences", async () => {
    const xml = await text(gpx(fromArray([sample(0, 1, 2), sample(1000, 1.1, 2.1)]), testFlight()));
    const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(xml) as Node[];
    const gpxNode = ordered.find((n) => "gpx" in n)!;
    const children = (n: Node, name: string) => (n[name] as Node[]).map((c) => Object.keys(c).find((k) => k !== ":@")!);
    const gpxChildren = gpxNode.gpx as Node[];
    expect(children(gpxNode, "gpx")).toEqual(["metadata", "trk"]);
    expect(children(gpxChildren[0]!, "metadata")).toEqual(["name", "desc", "time"]);
    const trk = gpxChildren[1]!;
    expect(children(trk, "trk")).toEqual(["name", "src", "type", "trkseg"]);
    const trkseg = (trk.trk as Node[])[3]!;
    expect(children(trkseg, "trkseg")).toEqual(["trkpt", "trkpt"]);
    expect(children((trkseg.trkseg as Node[])[0]!, "trkpt")).toEqual(["ele", "time"]);
  });

  it("escapes names and drops characters XML cannot hold; an empty track is still a valid file", async () => {
    const xml = await text(gpx(fromArray([]), testFlight({ vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: AWKWARD } })));
    const doc = parseXml(xml) as unknown as GpxDoc;
    // The parser decodes entities: the name reads back as typed, less the bell character.
    expect(doc.gpx.trk.name).toBe("Flight 12: Alpha <&> \"B\" 'C' ]]> (1:1)");
    expect(xml).toContain("Alpha &lt;&amp;&gt; &quot;B&quot; &apos;C&apos; ]]&gt;");
    expect(xml).not.toContain("\u0007");
    expect(doc.gpx.trk.trkseg).toBe("");
  });
});

describe("KML export", () => {
  it("is KML 2.2: the track at absolute altitude as lon,lat,alt triples, and take-off and landing placemarks", async () => {
    const doc = parseXml(await text(kml(fixtureSamples(), testFlight()))) as unknown as KmlDoc;
    expect(doc.kml["@xmlns"]).toBe(KML_NAMESPACE);
    const [track, takeoff, landing] = doc.kml.Document.Placemark;
    expect(track!.LineString!.altitudeMode).toBe("absolute");
    const triples = track!.LineString!.coordinates.trim().split(/\s+/);
    expect(triples).toHaveLength(FIXTURE_POSITIONS);
    for (const t of triples) {
      const [lon, lat, alt] = t.split(",").map(Number);
      expect(t.split(",")).toHaveLength(3);
      expect(lon).toBeCloseTo(-0.1278, 2);
      expect(lat).toBeCloseTo(51.5074, 2);
      expect(alt).toBeGreaterThan(0);
    }
    expect(takeoff).toMatchObject({ name: "Take-off", Point: { coordinates: expect.stringMatching(/^-0\.127\d+,51\.507\d+,[\d.]+$/) as unknown } });
    expect(landing!.name).toBe("Landing");
  });

  it("has no line with fewer than two positions, and escapes names", async () => {
    const one = [sample(1_000, 51.5, -0.12)];
    const doc = parseXml(await text(kml(fromArray(one), testFlight({ vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: AWKWARD } })))) as unknown as KmlDoc;
    expect(doc.kml.Document.Placemark.map((p) => p.name)).toEqual(["Take-off", "Landing"]);
    expect(doc.kml.Document.name).toBe("Flight 12: Alpha <&> \"B\" 'C' ]]> (1:1)");
  });
});

describe("CSV export", () => {
  it("has a header and one row per position sample", async () => {
    const lines = (await text(csv(fixtureSamples()))).split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(lines).toHaveLength(FIXTURE_POSITIONS + 1);
    for (const line of lines.slice(1)) {
      const f = line.split(",");
      expect(f).toHaveLength(CSV_HEADER.length);
      expect(f[0]).toMatch(ISO);
      expect(Number(f[1])).toBeCloseTo(51.5074, 2);
      expect(["0", "1"]).toContain(f[9]);
    }
  });

  it("writes unknown values as empty fields and quotes text with separators", async () => {
    const rows = await text(csv(fromArray([sample(0, 1, 2, { heading: null, mode: "A,\"B\"", armed: null, batteryVoltage: null })])));
    expect(rows.split("\r\n")[1]).toBe("1970-01-01T00:00:00.000Z,1.0000000,2.0000000,40,30,,5,0,\"A,\"\"B\"\"\",,,80");
    expect(csvField("plain")).toBe("plain");
  });
});

describe("GeoJSON export", () => {
  it("is a FeatureCollection: the track as a LineString with the flight's properties, then take-off and landing", async () => {
    const fc = JSON.parse(await text(geojson(fixtureSamples(), testFlight({ sha256: "ab".repeat(32) })))) as {
      type: string; features: { type: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][] | number[] } }[];
    };
    expect(fc.type).toBe("FeatureCollection");
    const [track, takeoff, landing] = fc.features;
    expect(track).toMatchObject({ type: "Feature", properties: { flightId: 12, vehicle: "1:1", tlogSha256: "ab".repeat(32), role: "track" }, geometry: { type: "LineString" } });
    expect(track!.properties).not.toHaveProperty("tlogPath");
    const coords = track!.geometry.coordinates as number[][];
    expect(coords).toHaveLength(FIXTURE_POSITIONS);
    expect(coords.every((c) => c.length === 3 && Math.abs(c[0]!) <= 180 && Math.abs(c[1]!) <= 90)).toBe(true);
    expect(takeoff).toMatchObject({ properties: { role: "takeoff" }, geometry: { type: "Point" } });
    expect(landing).toMatchObject({ properties: { role: "landing" }, geometry: { type: "Point" } });
  });

  it("gives the track a null geometry when there are fewer than two positions", async () => {
    const none = JSON.parse(await text(geojson(fromArray([]), testFlight()))) as { features: { geometry: unknown }[] };
    expect(none.features).toEqual([expect.objectContaining({ geometry: null })]);
    const one = JSON.parse(await text(geojson(fromArray([sample(0, 1, 2)]), testFlight()))) as { features: { geometry: unknown }[] };
    expect(one.features.map((f) => f.geometry)).toEqual([null, { type: "Point", coordinates: [2, 1, 40] }, { type: "Point", coordinates: [2, 1, 40] }]);
  });
});

describe("escapeXml", () => {
  it("escapes the five markup characters and keeps other Unicode", () => {
    expect(escapeXml("a<b>&\"'é😀")).toBe("a&lt;b&gt;&amp;&quot;&apos;é😀");
    expect(escapeXml("x\u0000\u001f\uFFFEy\uD800")).toBe("xy");
  });
});

it("the fixture helpers read the whole fixture", async () => {
  expect(await collect(fixtureSamples())).toHaveLength(FIXTURE_POSITIONS);
});
