import { neutralise, toCsv } from './export';

describe('exports', () => {
  it('neutralises text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(neutralise('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(neutralise('+1')).toBe("'+1");
    expect(neutralise('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralise('-2')).toBe("'-2");
    expect(neutralise(-2)).toBe(-2);
    expect(neutralise('Escuela Las Flores')).toBe('Escuela Las Flores');
  });

  it('writes CSV with a BOM, a header row and unquoted numbers', () => {
    const csv = toCsv(
      [
        { key: 'label', header: 'Grupo' },
        { key: 'n', header: 'Sesiones', numeric: true },
      ],
      [{ label: 'San José', n: 12 }],
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('Grupo,Sesiones\nSan José,12\n');
  });
});
