import { flightIdOf } from "./api";
import { FlightReportPage } from "./FlightReportPage";

/** The report's own address: /report?flight=ID (opened from the flights page and the replay view). */
export const isReportPath = (pathname: string) => pathname === "/report";

/** The page at /report: the flight named in the address, or what to write there. */
export function ReportRoute({ search = window.location.search }: { search?: string }) {
  const flightId = flightIdOf(search);
  if (flightId === null) return <p className="splash" role="alert">No flight named: open a report as /report?flight=ID.</p>;
  return <FlightReportPage flightId={flightId} />;
}
