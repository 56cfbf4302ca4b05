import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { parsePeriod, type Dhis2Period } from '../dhis2/dhis2-codes';
import type { MappingLookup } from '../dhis2/dhis2-mapping.service';
import { OrgUnitFigures, toAdx, toDataValues, toDataValueSet, xmlAttr } from './dhis2-export';

const XSD = readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'adx', 'adx.xsd'), 'utf8');
const validate = (xml: string) =>
  validateXML({
    xml: [{ fileName: 'export.adx.xml', contents: xml }],
    schema: [{ fileName: 'adx.xsd', contents: XSD }],
  });

const JAN = parsePeriod('202601') as Dhis2Period;
const lookup = (entries: Partial<Record<keyof MappingLookup, Record<string, string>>>): MappingLookup => {
  const out = {} as MappingLookup;
  for (const kind of [
    'country',
    'municipality',
    'school',
    'indicator',
    'disaggregation',
    'data-set',
    'attribute-option-combo',
  ] as const)
    out[kind] = new Map(Object.entries(entries[kind] ?? {}));
  return out;
};
const FULL = lookup({
  municipality: { m1: 'OrgUnitAaa1' },
  indicator: {
    sessions: 'DataElSess1',
    students_by_sex: 'DataElSex01',
    students_by_age: 'DataElAge01',
    schools_reached: 'DataElSch01',
    people_trained: 'DataElPpl01',
  },
  disaggregation: {
    total: 'HllvX50cXC0',
    female: 'CocFemale01',
    male: 'CocMale0001',
    unspecified: 'CocUnspec01',
    under_10: 'CocU10aaaa1',
    '10_14': 'Coc1014aaa1',
    '15_17': 'Coc1517aaa1',
    '18_plus': 'Coc18plus01',
  },
  'data-set': { default: 'DataSetAaa1' },
});
const unit = (key: string, values: OrgUnitFigures['values'], label = key): OrgUnitFigures => ({
  kind: 'municipality',
  key,
  label,
  countryCode: 'SV',
  values,
});

describe('DHIS2 data values', () => {
  it('sends every non-zero figure with its uids as strings, and nothing else', () => {
    const result = toDataValues(
      JAN,
      [unit('m1', { sessions: { total: 3 }, students_by_sex: { female: 10, male: 0, unspecified: 2 } })],
      FULL,
    );
    expect(result.unmapped).toEqual([]);
    expect(toDataValueSet(result)).toEqual({
      dataSet: 'DataSetAaa1',
      dataValues: [
        {
          dataElement: 'DataElSex01',
          period: '202601',
          orgUnit: 'OrgUnitAaa1',
          categoryOptionCombo: 'CocFemale01',
          value: '10',
        },
        {
          dataElement: 'DataElSex01',
          period: '202601',
          orgUnit: 'OrgUnitAaa1',
          categoryOptionCombo: 'CocUnspec01',
          value: '2',
        },
        {
          dataElement: 'DataElSess1',
          period: '202601',
          orgUnit: 'OrgUnitAaa1',
          categoryOptionCombo: 'HllvX50cXC0',
          value: '3',
        },
      ],
    });
  });

  it('lists a value whose org unit, data element or combo has no mapping, with what is missing, instead of sending it', () => {
    const partial = lookup({
      municipality: { m1: 'OrgUnitAaa1' },
      indicator: { sessions: 'DataElSess1' },
      disaggregation: { total: 'HllvX50cXC0' },
    });
    const result = toDataValues(
      JAN,
      [
        unit('m1', { sessions: { total: 3 }, students_by_sex: { female: 10 } }),
        unit('m2', { sessions: { total: 4 } }, 'Santa <Tecla>'),
      ],
      partial,
    );
    expect(result.dataValues).toEqual([
      {
        dataElement: 'DataElSess1',
        period: '202601',
        orgUnit: 'OrgUnitAaa1',
        categoryOptionCombo: 'HllvX50cXC0',
        value: '3',
      },
    ]);
    expect(result.unmapped).toEqual([
      {
        orgUnitKind: 'municipality',
        orgUnitKey: 'm1',
        orgUnitLabel: 'm1',
        countryCode: 'SV',
        indicator: 'students_by_sex',
        disaggregation: 'female',
        value: 10,
        missing: ['data-element', 'category-option-combo'],
      },
      {
        orgUnitKind: 'municipality',
        orgUnitKey: 'm2',
        orgUnitLabel: 'Santa <Tecla>',
        countryCode: 'SV',
        indicator: 'sessions',
        disaggregation: 'total',
        value: 4,
        missing: ['org-unit'],
      },
    ]);
  });

  it('carries the attribute option combo when one is mapped', () => {
    const result = toDataValues(
      JAN,
      [unit('m1', { sessions: { total: 1 } })],
      lookup({
        ...{
          municipality: { m1: 'OrgUnitAaa1' },
          indicator: { sessions: 'DataElSess1' },
          disaggregation: { total: 'HllvX50cXC0' },
        },
        'attribute-option-combo': { default: 'AocAaaaaaa1' },
      }),
    );
    expect(result.dataValues[0].attributeOptionCombo).toBe('AocAaaaaaa1');
  });
});

describe('ADX', () => {
  const exported = new Date('2026-03-02T10:00:00.123Z');

  it('writes one group per org unit with the ISO period, valid against the ADX schema', async () => {
    const quarter = parsePeriod('2026Q1') as Dhis2Period;
    const result = toDataValues(
      quarter,
      [unit('m1', { sessions: { total: 3 }, students_by_age: { '10_14': 7 } })],
      FULL,
    );
    const xml = toAdx(result, exported);
    expect(xml).toContain('<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-03-02T10:00:00Z">');
    expect(xml).toContain('<group orgUnit="OrgUnitAaa1" period="2026-01-01/P3M" dataSet="DataSetAaa1">');
    expect(xml).toContain(
      '<dataValue dataElement="DataElAge01" categoryOptionCombo="Coc1014aaa1" value="7"/>',
    );
    expect(await validate(xml)).toMatchObject({ valid: true, errors: [] });
  });

  it('the schema check can fail: a DHIS2-style period or a missing value is refused', async () => {
    const xml = toAdx(toDataValues(JAN, [unit('m1', { sessions: { total: 3 } })], FULL), exported);
    expect((await validate(xml.replace('2026-01-01/P1M', '202601'))).valid).toBe(false);
    expect((await validate(xml.replace(' value="3"', ''))).valid).toBe(false);
    expect((await validate(xml.replace(/<group[\s\S]*<\/group>\n/, ''))).valid).toBe(false); // no group at all
  });

  it('escapes XML special characters in every attribute', async () => {
    expect(xmlAttr(`a<b>&"c'\n`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;&#10;');
    // Uids are validated on entry; were one ever odd, the file stays well-formed and valid.
    const odd = lookup({
      ...{ indicator: { sessions: 'DataElSess1' }, disaggregation: { total: 'HllvX50cXC0' } },
      municipality: { m1: 'Org"<&>\'Unit' },
      'data-set': { default: 'Set&"<>' },
    });
    const xml = toAdx(toDataValues(JAN, [unit('m1', { sessions: { total: 2 } })], odd), exported);
    expect(xml).toContain('orgUnit="Org&quot;&lt;&amp;&gt;&apos;Unit"');
    expect(xml).toContain('dataSet="Set&amp;&quot;&lt;&gt;"');
    expect(await validate(xml)).toMatchObject({ valid: true });
  });
});
