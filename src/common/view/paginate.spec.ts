import { MAX_PAGE, pageNumber, paginate } from './paginate';

describe('paginate', () => {
  it('turns the page asked for into the window the service reads', () => {
    expect(paginate(undefined, 25)).toMatchObject({ page: 1, limit: 25, offset: 0 });
    expect(paginate(3, 25)).toMatchObject({ page: 3, limit: 25, offset: 50 });
    expect(paginate('2', 50)).toMatchObject({ page: 2, limit: 50, offset: 50 });
  });

  it('reads a bad page number as the nearest page there can be', () => {
    expect(pageNumber('abc')).toBe(1);
    expect(pageNumber(0)).toBe(1);
    expect(pageNumber(-4)).toBe(1);
    expect(pageNumber(2.7)).toBe(2);
    expect(pageNumber(10 ** 9)).toBe(MAX_PAGE);
  });

  it('gives the pager partial its page, count and links, keeping the filters that are set', () => {
    const pager = paginate(2, 25).pager(60, '/admin/users', { q: 'ana', role: undefined });
    expect(pager).toEqual({
      page: 2,
      pages: 3,
      prev: '/admin/users?q=ana&page=1',
      next: '/admin/users?q=ana&page=3',
    });
  });

  it('has no links on a single page, and one page even when the list is empty', () => {
    expect(paginate(1, 25).pager(0, '/cohorts')).toEqual({ page: 1, pages: 1, prev: null, next: null });
    expect(paginate(1, 25).pager(25, '/cohorts')).toEqual({ page: 1, pages: 1, prev: null, next: null });
  });

  it('links back from a page past the end', () => {
    expect(paginate(9, 10).pager(15, '/admin/audit')).toEqual({
      page: 9,
      pages: 2,
      prev: '/admin/audit?page=8',
      next: null,
    });
  });

  it('escapes filter values in the links', () => {
    expect(paginate(1, 1).pager(2, '/schools', { q: 'a&b c' }).next).toBe('/schools?q=a%26b+c&page=2');
  });
});
