import type { FlightReport } from "../../../../server/protocol";
import { labelPositions, pathData, projection, scaleBar } from "./trackImage";
import type { ImageBox } from "./trackImage";

const BOX: ImageBox = { width: 640, height: 400, padding: 36 };

interface Mark {
  id: string;
  letter: string;
  label: string;
  place: { lat: number; lon: number } | null;
  className: string;
}

/**
 * The track as a drawing, no map tiles: it prints the same anywhere, offline. Take-off (T), landing (L), the
 * highest point (H) and the furthest point (D) are marked, with a scale bar and a north arrow.
 */
export function TrackImage({ report }: { report: FlightReport }) {
  const marks: Mark[] = [
    { id: "takeoff", letter: "T", label: "Take-off", place: report.takeoff ?? report.reference, className: "report-map__mark--takeoff" },
    { id: "landing", letter: "L", label: "Landing", place: report.landing, className: "report-map__mark--landing" },
    { id: "height", letter: "H", label: "Maximum height", place: report.maxHeight, className: "report-map__mark--height" },
    { id: "distance", letter: "D", label: "Maximum distance", place: report.maxDistance, className: "report-map__mark--distance" },
  ];
  const placed = marks.filter((m): m is Mark & { place: { lat: number; lon: number } } => m.place !== null);
  const all: [number, number][] = [...report.track.points, ...placed.map((m) => [m.place.lon, m.place.lat] as [number, number])];
  if (all.length === 0) {
    return <p className="report-map report-map--empty" data-testid="report-map">No position in the record: no track to draw.</p>;
  }
  const proj = projection(all, BOX);
  const bar = scaleBar(proj.pxPerM, BOX.width / 4);
  const points = placed.map((m) => proj.point([m.place.lon, m.place.lat]));
  const labels = labelPositions(points, 18);
  return (
    <figure className="report-map">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label="Track of the flight" data-testid="report-map">
        <rect x="0" y="0" width={BOX.width} height={BOX.height} className="report-map__frame" />
        {report.track.points.length >= 2 && (
          <path d={pathData(report.track.points, proj)} className="report-map__track" data-testid="report-track" />
        )}
        {/* Leader lines first: no label is hidden under another mark's line. */}
        {placed.map((m, i) => {
          const [x, y] = points[i]!;
          const [lx, ly] = labels[i]!;
          return lx === x && ly === y ? null : (
            <g key={m.id} className="report-map__moved">
              <line x1={x} y1={y} x2={lx} y2={ly} className="report-map__leader" />
              <circle cx={x} cy={y} r="2.5" className="report-map__spot" />
            </g>
          );
        })}
        {placed.map((m, i) => {
          const [lx, ly] = labels[i]!;
          return (
            <g key={m.id} className={`report-map__mark ${m.className}`} data-testid={`report-mark-${m.id}`}>
              <circle cx={lx} cy={ly} r="8" />
              <text x={lx} y={ly + 4} textAnchor="middle">{m.letter}</text>
            </g>
          );
        })}
        <g className="report-map__north" transform={`translate(${BOX.width - 28}, 14)`} aria-label="North">
          <path d="M0 0 L8 22 L0 17 L-8 22 Z" />
          <text x="0" y="36" textAnchor="middle">N</text>
        </g>
        <g className="report-map__scale" transform={`translate(16, ${BOX.height - 18})`} data-testid="report-scale">
          <path d={`M0 -6 V0 H${bar.px.toFixed(1)} V-6`} />
          <text x={bar.px / 2} y="-9" textAnchor="middle">{bar.label}</text>
        </g>
      </svg>
      <figcaption>
        {placed.map((m) => <span key={m.id} className="report-map__legend"><b>{m.letter}</b> {m.label}</span>)}
        <span className="report-map__legend">
          {report.track.positions.toLocaleString("en-GB")} positions, drawn within {report.track.toleranceM} m; north up
        </span>
      </figcaption>
    </figure>
  );
}
