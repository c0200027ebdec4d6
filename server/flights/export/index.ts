/**
 * Flight exports and tracks, derived on the fly from the flight's .tlog: the original bytes, KML, GPX, CSV and
 * GeoJSON files, streamed; and the simplified track for the map.
 */
export { EXPORT_FORMATS, alteredRefusal, exportFileName, flightFilePath, flightSamples, openExport } from "./open-export";
export type { ExportFile, ExportFormat, ExportOptions, ExportRefusal } from "./open-export";
export { flightTrack } from "./track";
export type { FlightTrack } from "./track";
export { trackSamples, fileChunks, EndPoints, READ_CHUNK } from "./samples";
export type { TrackSample, TrackVehicle } from "./samples";
export { tlogEntryChunks } from "./tlog-stream";
export { gpx, GPX_NAMESPACE } from "./gpx";
export { kml, KML_NAMESPACE } from "./kml";
export { csv, CSV_HEADER, csvField } from "./csv";
export { geojson } from "./geojson";
export { escapeXml, batched } from "./text";
