import { parseSchools } from './schools-import';

describe('schools CSV', () => {
  it('reads schools with English or Spanish headers', () => {
    const { rows } = parseSchools(
      'país;municipio;nombre;código;nivel\nSV;Santa Tecla;Centro Escolar Las Flores;10423;primaria\n',
    );
    expect(rows[0]).toMatchObject({
      countryCode: 'SV',
      municipality: 'Santa Tecla',
      name: 'Centro Escolar Las Flores',
      code: '10423',
      level: 'primary',
      problems: [],
    });
  });

  it('accepts rows that add only a municipality', () => {
    const { rows } = parseSchools(
      'country,municipality,name,code\nPA,Chitré,,\nPA,Chitré,Escuela Nueva,PA-77\n',
    );
    expect(rows.map((r) => r.problems)).toEqual([[], []]);
  });

  it('reports bad rows: country, missing code, unknown level, repeated code or municipality', () => {
    const { rows } = parseSchools(
      'country,municipality,name,code,level\nXYZ,A,B,C1,\nSV,A,School,,\nSV,A,School,C2,college\nSV,A,Other,C2,\nSV,Z,,\nSV,Z,,\n',
    );
    expect(rows.map((r) => r.problems.map((p) => p.key))).toEqual([
      ['country-code'],
      ['school-code'],
      ['one-of'],
      ['duplicate-school-row'],
      [],
      ['duplicate-municipality-row'],
    ]);
  });
});
