import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { InputError } from '../common/errors/app-errors';
import { Database } from '../database/database.service';
import { DEFAULT_KEY, DISAGGREGATIONS, INDICATORS, MappingKind } from './dhis2-codes';
import { MappingRow, parseMappingCsv } from './dhis2-mapping-csv';
import { Dhis2MappingRepository } from './dhis2-mapping.repository';

/** Every mapping, by kind then our key → DHIS2 uid. */
export type MappingLookup = Record<MappingKind, Map<string, string>>;

export interface TemplateRow {
  kind: MappingKind;
  key: string;
  label: string;
  uid: string;
}

/**
 * The DHIS2 mapping an admin edits: our places, indicators and disaggregations → DHIS2 uids. Edited
 * as CSV (the downloaded template, filled in a spreadsheet): a file with any bad line changes nothing;
 * every change is audited.
 */
@Injectable()
export class Dhis2MappingService {
  constructor(
    private readonly db: Database,
    private readonly mappings: Dhis2MappingRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every mapping, grouped for look-ups (one query). */
  async lookup(): Promise<MappingLookup> {
    const out = {
      country: new Map(),
      municipality: new Map(),
      school: new Map(),
      indicator: new Map(),
      disaggregation: new Map(),
      'data-set': new Map(),
      'attribute-option-combo': new Map(),
    } as MappingLookup;
    for (const m of await this.mappings.findAll()) out[m.kind]?.set(m.localKey, m.uid);
    return out;
  }

  /**
   * The whole mapping as CSV rows: every indicator, disaggregation and setting, then every country
   * with places, municipality and school, with its uid or empty. The admin fills the empty ones in.
   */
  async template(): Promise<TemplateRow[]> {
    const [lookup, countries, municipalities, schools] = await Promise.all([
      this.lookup(),
      this.mappings.countriesByCode(),
      this.mappings.municipalitiesByCountryAndName(),
      this.mappings.schoolsByCountryAndCode(),
    ]);
    const used = new Set(municipalities.map((m) => m.countryCode));
    const municipalityName = new Map(municipalities.map((m) => [m.id, m.name]));
    const uid = (kind: MappingKind, key: string) => lookup[kind].get(key) ?? '';
    return [
      ...INDICATORS.map((i) => ({ kind: 'indicator' as const, key: i, label: i, uid: uid('indicator', i) })),
      ...DISAGGREGATIONS.map((d) => ({
        kind: 'disaggregation' as const,
        key: d,
        label: d,
        uid: uid('disaggregation', d),
      })),
      { kind: 'data-set', key: DEFAULT_KEY, label: '', uid: uid('data-set', DEFAULT_KEY) },
      {
        kind: 'attribute-option-combo',
        key: DEFAULT_KEY,
        label: '',
        uid: uid('attribute-option-combo', DEFAULT_KEY),
      },
      ...countries
        .filter((c) => used.has(c.code) || lookup.country.has(c.code))
        .map((c) => ({
          kind: 'country' as const,
          key: c.code,
          label: c.nameEn,
          uid: uid('country', c.code),
        })),
      ...municipalities.map((m) => ({
        kind: 'municipality' as const,
        key: `${m.countryCode}/${m.name}`,
        label: m.name,
        uid: uid('municipality', m.id),
      })),
      ...schools.map((s) => ({
        kind: 'school' as const,
        key: `${s.countryCode}/${s.code}`,
        label: `${s.name} (${municipalityName.get(s.municipalityId) ?? ''})`,
        uid: uid('school', s.id),
      })),
    ];
  }

  /** Parses and checks a mapping CSV against our places; writes nothing. */
  async check(csv: string): Promise<MappingRow[]> {
    const parsed = parseMappingCsv(csv);
    if (parsed.fileProblem)
      throw new InputError({ csv: [{ key: parsed.fileProblem, params: { max: 10000 } }] });
    const [municipalities, schools, countries] = await Promise.all([
      this.mappings.municipalitiesByCountryAndName(),
      this.mappings.schoolsByCountryAndCode(),
      this.mappings.countriesByCode(),
    ]);
    const countryCodes = new Set(countries.map((c) => c.code));
    const municipalityIds = new Map(
      municipalities.map((m) => [`${m.countryCode}/${m.name.toLowerCase()}`, m.id]),
    );
    const schoolIds = new Map(schools.map((s) => [`${s.countryCode}/${s.code.toLowerCase()}`, s.id]));
    for (const row of parsed.rows) {
      if (row.problems.length) continue;
      const [country, ...rest] = row.key.split('/');
      const place = `${country.toUpperCase()}/${rest.join('/').trim().toLowerCase()}`;
      if (row.kind === 'country') row.localKey = countryCodes.has(row.key) ? row.key : undefined;
      else if (row.kind === 'municipality') row.localKey = municipalityIds.get(place);
      else if (row.kind === 'school') row.localKey = schoolIds.get(place);
      else row.localKey = row.key;
      if (!row.localKey) row.problems.push({ key: `dhis2-unknown-${row.kind}`, params: { key: row.key } });
    }
    return parsed.rows;
  }

  /** Saves the rows of a checked CSV (all or nothing): a uid sets the mapping, an empty uid removes it. */
  async apply(
    actor: AuthUser,
    rows: MappingRow[],
  ): Promise<{ saved: number; removed: number; unchanged: number }> {
    if (!rows.length || rows.some((r) => r.problems.length || !r.localKey))
      throw new InputError({ csv: [{ key: 'csv-has-problems', params: {} }] });
    return this.db.transaction(async (tx) => {
      const existing = new Map((await this.mappings.findAll(tx)).map((m) => [`${m.kind}:${m.localKey}`, m]));
      let saved = 0;
      let removed = 0;
      let unchanged = 0;
      for (const row of rows) {
        const kind = row.kind as MappingKind;
        const localKey = row.localKey as string;
        const before = existing.get(`${kind}:${localKey}`);
        const entity = { type: 'dhis2-mapping', id: `${kind}:${localKey}` };
        if (!row.uid) {
          if (!before) {
            unchanged++;
            continue;
          }
          await this.mappings.delete(tx, before.id);
          await this.audit.record(tx, actor.id, 'dhis2-mapping.remove', entity, { uid: before.uid }, null);
          removed++;
        } else if (before?.uid === row.uid) {
          unchanged++;
        } else if (before) {
          await this.mappings.updateUid(tx, before.id, {
            uid: row.uid,
            updatedBy: actor.id,
            updatedAt: this.clock.now(),
          });
          await this.audit.record(
            tx,
            actor.id,
            'dhis2-mapping.update',
            entity,
            { uid: before.uid },
            { uid: row.uid },
          );
          saved++;
        } else {
          await this.mappings.insert(tx, {
            kind,
            localKey,
            uid: row.uid,
            updatedBy: actor.id,
            updatedAt: this.clock.now(),
          });
          await this.audit.record(tx, actor.id, 'dhis2-mapping.create', entity, null, { uid: row.uid });
          saved++;
        }
      }
      return { saved, removed, unchanged };
    });
  }
}
