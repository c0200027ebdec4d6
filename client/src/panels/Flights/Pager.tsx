import { formatPageRange } from "./format";
import { pageOffsets } from "./query";

export function Pager({ offset, shown, total, limit, onOffset }: { offset: number; shown: number; total: number; limit: number; onOffset: (offset: number) => void }) {
  const { prev, next } = pageOffsets(offset, limit, total);
  return (
    <nav className="flights__pager" aria-label="Pages">
      <button type="button" className="btn btn--quiet" disabled={prev === null} onClick={() => prev !== null && onOffset(prev)}>
        Prev
      </button>
      <span role="status" data-testid="flights-range">{formatPageRange(offset, shown, total)}</span>
      <button type="button" className="btn btn--quiet" disabled={next === null} onClick={() => next !== null && onOffset(next)}>
        Next
      </button>
    </nav>
  );
}
