export { FlightsPage, type FlightsPageProps } from "./FlightsPage";
export { createFlightsApi, sameOriginFetch, type FlightsApi } from "./api";
export { trackLines, type TrackLine } from "./geo";
