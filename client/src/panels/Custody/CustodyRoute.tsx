import { useMemo } from "react";
import { useSession } from "../../access";
import { createCustodyApi, custodyTargetOf } from "./api";
import { CustodyReportPage } from "./CustodyReportPage";

/** The printable custody report's own address: /custody?incident=ID (or flight=ID, footage=ID). */
export const isCustodyPath = (pathname: string) => pathname === "/custody";

const plainFetch: typeof fetch = (input, init) => fetch(input, { credentials: "same-origin", ...init });

export function CustodyRoute({ search = window.location.search, fetchFn }: { search?: string; fetchFn?: typeof fetch }) {
  const session = useSession();
  const fetcher = fetchFn ?? session?.api.guardedFetch ?? plainFetch;
  const api = useMemo(() => createCustodyApi(fetcher), [fetcher]);
  const target = custodyTargetOf(search);
  if (target === null) return <p className="splash" role="alert">No item named: open a custody report as /custody?incident=ID, ?flight=ID or ?footage=ID.</p>;
  return <CustodyReportPage api={api} kind={target.kind} id={target.id} />;
}
