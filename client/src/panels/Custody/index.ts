export { CustodySection } from "./CustodySection";
export { ExportSection, describeJob } from "./ExportSection";
export { CustodyReportPage } from "./CustodyReportPage";
export { CustodyRoute, isCustodyPath } from "./CustodyRoute";
export { createCustodyApi, custodyCsvUrl, custodyReportUrl, bundleDownloadUrl, custodyTargetOf, type CustodyApi, type CustodyKind } from "./api";
