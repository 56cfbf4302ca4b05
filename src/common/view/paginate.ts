/** The highest page number a list accepts: past it, offsets only cost the database a scan. */
export const MAX_PAGE = 10_000;

/** What the pager partial (views/partials/pager.hbs) renders: the page, the count and the two links. */
export interface PagerView {
  page: number;
  pages: number;
  prev: string | null;
  next: string | null;
}

/** One page of a list: the window to ask the service for, and the pager once the total is known. */
export interface Pagination {
  page: number;
  limit: number;
  offset: number;
  /**
   * The pager for `total` rows; links go to `path` with `params` (unset ones left out) and `page`
   * last, in that order, so a link keeps the list's filters.
   */
  pager(total: number, path: string, params?: Record<string, string | undefined>): PagerView;
}

/** The page number asked for (`?page=`, a number or its text), as a whole number from 1 to MAX_PAGE. */
export function pageNumber(raw: unknown): number {
  const n = typeof raw === 'number' ? Math.trunc(raw) : Number.parseInt(String(raw ?? '1'), 10);
  return Math.min(MAX_PAGE, Math.max(1, Number.isFinite(n) ? n : 1));
}

/**
 * List pages' paging in one place: `?page=` and the list's page size to `{ limit, offset }` for the
 * service, then the total to the pager view model.
 */
export function paginate(rawPage: unknown, limit: number): Pagination {
  const page = pageNumber(rawPage);
  return {
    page,
    limit,
    offset: (page - 1) * limit,
    pager(total, path, params = {}) {
      const pages = Math.max(1, Math.ceil(total / limit));
      const link = (p: number) => {
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
        query.set('page', String(p));
        return `${path}?${query}`;
      };
      return {
        page,
        pages,
        prev: page > 1 ? link(page - 1) : null,
        next: page < pages ? link(page + 1) : null,
      };
    },
  };
}
