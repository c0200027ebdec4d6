export { FlightReportPage, type FlightReportPageProps } from "./FlightReportPage";
export { isReportPath, ReportRoute } from "./ReportRoute";
export { flightIdOf, reportUrl } from "./api";
