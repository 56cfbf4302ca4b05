import { equalsIgnoringCase, monthOf, onConflictUpdate, periodOf, textParameter, toDialect } from './dialect';

describe('dialect', () => {
  it('numbers the ? parameters for PostgreSQL and leaves them for SQLite', () => {
    const sql = 'SELECT 1 FROM t WHERE a = ? AND b = ?';
    expect(toDialect('sqlite', sql)).toBe(sql);
    expect(toDialect('postgres', sql)).toBe('SELECT 1 FROM t WHERE a = $1 AND b = $2');
  });

  it('takes the year and month of a YYYY-MM-DD column as a prefix, the same on both databases', () => {
    expect(periodOf('s.date', 'year')).toBe('SUBSTR(s.date, 1, 4)');
    expect(monthOf('s.date')).toBe('SUBSTR(s.date, 1, 7)');
  });

  it('writes an upsert clause with an optional condition', () => {
    expect(onConflictUpdate(['a', 'b'], 'n = t.n + excluded.n')).toBe(
      'ON CONFLICT (a, b) DO UPDATE SET n = t.n + excluded.n',
    );
    expect(onConflictUpdate(['a'], 'n = excluded.n', 't.done IS NULL')).toBe(
      'ON CONFLICT (a) DO UPDATE SET n = excluded.n WHERE t.done IS NULL',
    );
  });

  it('compares case-insensitively with one parameter and types a bare parameter', () => {
    expect(equalsIgnoringCase('m.name')).toBe('LOWER(m.name) = ?');
    expect(textParameter()).toBe('CAST(? AS VARCHAR(36))');
  });
});
