export { TopBar } from "./TopBar";
