export { VehicleList } from "./VehicleList";
