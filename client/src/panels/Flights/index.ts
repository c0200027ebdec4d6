export { FlightsPage, type FlightsPageProps } from "./FlightsPage";
