import { isDhis2Uid, parsePeriod } from './dhis2-codes';
import { parseMappingCsv } from './dhis2-mapping-csv';

describe('DHIS2 periods', () => {
  it('reads a month as YYYYMM with its first and last day and the ADX start/duration', () => {
    expect(parsePeriod('202601')).toEqual({
      id: '202601',
      type: 'monthly',
      from: '2026-01-01',
      to: '2026-01-31',
      adx: '2026-01-01/P1M',
    });
    expect(parsePeriod('202402')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' }); // leap year
    expect(parsePeriod('202512')).toMatchObject({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('reads a quarter as YYYYQn: three months, P3M', () => {
    expect(parsePeriod('2026Q1')).toEqual({
      id: '2026Q1',
      type: 'quarterly',
      from: '2026-01-01',
      to: '2026-03-31',
      adx: '2026-01-01/P3M',
    });
    expect(parsePeriod('2026Q4')).toMatchObject({
      from: '2026-10-01',
      to: '2026-12-31',
      adx: '2026-10-01/P3M',
    });
  });

  it('refuses anything else', () => {
    for (const bad of ['2026', '202613', '202600', '2026Q5', '2026Q0', '2026-01', '26Q1', '202601 ', 'x', ''])
      expect(parsePeriod(bad)).toBeUndefined();
  });
});

describe('DHIS2 uids', () => {
  it('takes a letter then 10 letters or digits, nothing else', () => {
    expect(isDhis2Uid('ImspTQPwCqd')).toBe(true);
    expect(isDhis2Uid('a0000000000')).toBe(true);
    for (const bad of [
      '1mspTQPwCqd',
      'ImspTQPwCq',
      'ImspTQPwCqdX',
      'Imsp-QPwCqd',
      'Imsp QPwCqd',
      '<script>aaa',
    ])
      expect(isDhis2Uid(bad)).toBe(false);
  });
});

describe('mapping CSV', () => {
  it('reads kind, key and uid (Spanish headers and semicolons too) and ignores a label column', () => {
    const { rows, fileProblem } = parseMappingCsv(
      'tipo;clave;label;uid\nindicator;sessions;Sessions;fbfJHSPpUQD\ncountry;sv;;\n',
    );
    expect(fileProblem).toBeUndefined();
    expect(rows).toEqual([
      { line: 2, kind: 'indicator', key: 'sessions', uid: 'fbfJHSPpUQD', problems: [] },
      { line: 3, kind: 'country', key: 'SV', uid: '', problems: [] },
    ]);
  });

  it('gives every bad line its problems', () => {
    const { rows } = parseMappingCsv(
      'kind,key,uid\nplanet,x,fbfJHSPpUQD\nindicator,students,fbfJHSPpUQD\ndisaggregation,female,123\ndata-set,main,pBOMPrpg1QX\nschool,10423,DiszpKrYNg8\nindicator,sessions,fbfJHSPpUQD\nindicator,sessions,fbfJHSPpUQE\n',
    );
    expect(rows.map((r) => r.problems.map((p) => p.key))).toEqual([
      ['one-of'],
      ['dhis2-indicator'],
      ['dhis2-uid'],
      ['dhis2-default-key'],
      ['dhis2-school-key'],
      [],
      ['dhis2-duplicate-row'],
    ]);
    expect(rows[6].problems[0].params).toEqual({ line: 7 });
  });

  it('refuses a file without the three columns', () => {
    expect(parseMappingCsv('name,uid\nx,fbfJHSPpUQD\n').fileProblem).toBe('csv-dhis2-headers');
    expect(parseMappingCsv('').fileProblem).toBe('csv-empty');
  });
});
