import {
  DEFAULT_KEY,
  Dhis2Period,
  DISAGGREGATIONS_OF,
  Disaggregation,
  Indicator,
  INDICATORS,
  OrgUnitKind,
} from '../dhis2/dhis2-codes';
import type { MappingLookup } from '../dhis2/dhis2-mapping.service';

/** One of our org units with its figures for the period (what the reach and donor reports count there). */
export interface OrgUnitFigures {
  kind: OrgUnitKind;
  /** Our id: country code, municipality id or school id. */
  key: string;
  label: string;
  countryCode: string;
  values: Partial<Record<Indicator, Partial<Record<Disaggregation, number>>>>;
}

/** A DHIS2 data value as dataValueSets carries it (values are strings in DHIS2). */
export interface DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo?: string;
  value: string;
}

/** A figure that had a value but could not be sent: what was not mapped, and the value. */
export interface UnmappedValue {
  orgUnitKind: OrgUnitKind;
  orgUnitKey: string;
  orgUnitLabel: string;
  countryCode: string;
  indicator: Indicator;
  disaggregation: Disaggregation;
  value: number;
  /** What is missing: 'org-unit', 'data-element', 'category-option-combo' (one or more). */
  missing: Array<'org-unit' | 'data-element' | 'category-option-combo'>;
}

export interface Dhis2Export {
  period: Dhis2Period;
  dataSet?: string;
  attributeOptionCombo?: string;
  dataValues: DataValue[];
  unmapped: UnmappedValue[];
}

/**
 * Turns figures into DHIS2 data values through the mapping. Every non-zero figure ends up in exactly
 * one of `dataValues` or `unmapped` (zeros are not sent: DHIS2 does not store them by default).
 */
export function toDataValues(
  period: Dhis2Period,
  units: OrgUnitFigures[],
  mapping: MappingLookup,
): Dhis2Export {
  const dataSet = mapping['data-set'].get(DEFAULT_KEY);
  const attributeOptionCombo = mapping['attribute-option-combo'].get(DEFAULT_KEY);
  const dataValues: DataValue[] = [];
  const unmapped: UnmappedValue[] = [];
  for (const unit of units) {
    const orgUnit = mapping[unit.kind].get(unit.key);
    for (const indicator of INDICATORS) {
      const dataElement = mapping.indicator.get(indicator);
      for (const disaggregation of DISAGGREGATIONS_OF[indicator]) {
        const value = unit.values[indicator]?.[disaggregation] ?? 0;
        if (!value) continue;
        const categoryOptionCombo = mapping.disaggregation.get(disaggregation);
        if (orgUnit && dataElement && categoryOptionCombo) {
          dataValues.push({
            dataElement,
            period: period.id,
            orgUnit,
            categoryOptionCombo,
            ...(attributeOptionCombo ? { attributeOptionCombo } : {}),
            value: String(value),
          });
        } else {
          const missing: UnmappedValue['missing'] = [];
          if (!orgUnit) missing.push('org-unit');
          if (!dataElement) missing.push('data-element');
          if (!categoryOptionCombo) missing.push('category-option-combo');
          unmapped.push({
            orgUnitKind: unit.kind,
            orgUnitKey: unit.key,
            orgUnitLabel: unit.label,
            countryCode: unit.countryCode,
            indicator,
            disaggregation,
            value,
            missing,
          });
        }
      }
    }
  }
  return { period, dataSet, attributeOptionCombo, dataValues, unmapped };
}

/** The dataValueSets JSON DHIS2 imports as is (`POST /api/dataValueSets`): nothing but what it reads. */
export function toDataValueSet(result: Dhis2Export): { dataSet?: string; dataValues: DataValue[] } {
  return { ...(result.dataSet ? { dataSet: result.dataSet } : {}), dataValues: result.dataValues };
}

/** Escapes text for an XML attribute value in double quotes. */
export function xmlAttr(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * IHE ADX (urn:ihe:qrph:adx:2015), as DHIS2 imports it (`POST /api/dataValueSets` with
 * `Content-Type: application/adx+xml`): one group per org unit with the period as ISO 8601 start and
 * duration (2026-01-01/P1M), the data set and attribute option combo on the group, and each value's
 * category option combo as the `categoryOptionCombo` attribute of its dataValue.
 */
export function toAdx(result: Dhis2Export, exportedAt: Date): string {
  const groups = new Map<string, DataValue[]>();
  for (const v of result.dataValues) groups.set(v.orgUnit, [...(groups.get(v.orgUnit) ?? []), v]);
  const attrs = (pairs: Array<[string, string | undefined]>) =>
    pairs
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${xmlAttr(v as string)}"`)
      .join('');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<adx xmlns="urn:ihe:qrph:adx:2015"${attrs([['exported', exportedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')]])}>`,
  ];
  for (const [orgUnit, values] of groups) {
    lines.push(
      `  <group${attrs([
        ['orgUnit', orgUnit],
        ['period', result.period.adx],
        ['dataSet', result.dataSet],
        ['attributeOptionCombo', result.attributeOptionCombo],
      ])}>`,
    );
    for (const v of values)
      lines.push(
        `    <dataValue${attrs([
          ['dataElement', v.dataElement],
          ['categoryOptionCombo', v.categoryOptionCombo],
          ['value', v.value],
        ])}/>`,
      );
    lines.push('  </group>');
  }
  lines.push('</adx>', '');
  return lines.join('\n');
}
