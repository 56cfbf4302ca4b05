import { parseRoster } from './roster-import';

describe('roster CSV', () => {
  it('reads English headers, maps sex values and keeps line numbers', () => {
    const { rows } = parseRoster(
      'name,email,sex,organisation,municipality\nAna Pérez,ANA@x.org,F,MINERD,Santiago\nLuis Gómez,luis@x.org,male,,\n',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      line: 2,
      name: 'Ana Pérez',
      email: 'ana@x.org',
      sex: 'female',
      organisation: 'MINERD',
      problems: [],
    });
    expect(rows[1]).toMatchObject({ line: 3, sex: 'male', problems: [] });
  });

  it('reads Spanish headers, semicolons and a BOM', () => {
    const { rows } = parseRoster('\uFEFFnombre;correo;sexo\nMaría;maria@x.org;mujer\n');
    expect(rows[0]).toMatchObject({ name: 'María', email: 'maria@x.org', sex: 'female', problems: [] });
  });

  it('reports each row problem: missing name, bad email, unknown sex, duplicate email', () => {
    const { rows } = parseRoster(
      'name,email,sex\n,a@x.org,\nBea,not-an-email,\nCarl,c@x.org,robot\nDup,A@x.org,\n',
    );
    expect(rows.map((r) => r.problems.map((p) => p.key))).toEqual([
      ['required-name'],
      ['email'],
      ['sex-value'],
      ['duplicate-row'],
    ]);
    expect(rows[3].problems[0].params).toEqual({ line: 2 });
  });

  it('reads an optional language column (idioma) for the invitation, and reports an unknown one', () => {
    const { rows } = parseRoster(
      'nombre;correo;idioma\nAna;ana@x.org;Inglés\nBeto;beto@x.org;es\nCarla;carla@x.org;\nDan;dan@x.org;français\n',
    );
    expect(rows.map((r) => [r.language, r.problems.map((p) => p.key)])).toEqual([
      ['en', []],
      ['es', []],
      [null, []],
      [null, ['language-value']],
    ]);
    expect(rows[3].problems[0].params).toEqual({ value: 'français' });
    expect(parseRoster('name,email\nEva,eva@x.org').rows[0].language).toBeNull();
  });

  it('refuses files without the name and email columns, or empty', () => {
    expect(parseRoster('who,where\nx,y').fileProblem).toBe('csv-headers');
    expect(parseRoster('').fileProblem).toBe('csv-empty');
    expect(parseRoster('name,email\n').fileProblem).toBe('csv-no-rows');
  });
});
