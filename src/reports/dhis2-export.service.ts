import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { Clock } from '../common/clock';
import { Dhis2Period, Disaggregation, Indicator, OrgUnitKind } from '../dhis2/dhis2-codes';
import { Dhis2MappingService } from '../dhis2/dhis2-mapping.service';
import { Dhis2Export, OrgUnitFigures, toAdx, toDataValues } from './dhis2-export';
import type { ReportFilters, ReportQuery } from './report-filters';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

export type Dhis2Level = 'municipality' | 'school';

const SEXES = ['female', 'male', 'unspecified'] as const;
const AGES = ['under_10', '10_14', '15_17', '18_plus'] as const;

/**
 * The donor indicators per DHIS2 period and org unit, from the same sources as the reach and donor
 * reports (reach-source.ts rollups; certifications issued in the period), so the figures are the
 * reports' figures split by place. Reach goes to the municipality or the school (`level`); people
 * trained go to the municipality of the workshop that certified them (a trainer belongs to no
 * school), or to its country when the workshop names no municipality.
 */
@Injectable()
export class Dhis2ExportService {
  constructor(
    private readonly data: ReportsRepository,
    private readonly reports: ReportsService,
    private readonly mapping: Dhis2MappingService,
    private readonly clock: Clock,
  ) {}

  async build(
    actor: AuthUser,
    period: Dhis2Period,
    countryCode: string | undefined,
    level: Dhis2Level,
  ): Promise<Dhis2Export & { countryCode?: string; level: Dhis2Level }> {
    const scoped = await this.reports.filters(actor, { countryCode } as ReportQuery);
    const [units, lookup] = await Promise.all([
      scoped
        ? this.figures({ from: period.from, to: period.to, countryCode: scoped.countryCode }, level)
        : Promise.resolve([]),
      this.mapping.lookup(),
    ]);
    return { ...toDataValues(period, units, lookup), countryCode: scoped?.countryCode ?? countryCode, level };
  }

  adx(result: Dhis2Export): string {
    return toAdx(result, this.clock.now());
  }

  /** Figures per org unit: one grouped query for reach, one for people certified, then labels. */
  private async figures(f: ReportFilters, level: Dhis2Level): Promise<OrgUnitFigures[]> {
    const { reach, certified } = await this.data.dhis2Figures(
      f,
      level === 'school' ? 'school_id' : 'municipality_id',
    );
    const countries = [
      ...new Set(
        [...reach.map((r) => r.country_code), ...certified.map((r) => r.country_code)].filter(Boolean),
      ),
    ];
    const schoolIds = level === 'school' ? reach.map((r) => r.unit).filter(Boolean) : [];
    const [municipalities, schools, countryNames] = await Promise.all([
      this.data.municipalitiesOf(countries),
      this.data.namesByIds('schools', schoolIds),
      this.data.countries(countries),
    ]);
    const labels = new Map<string, string>([
      ...countryNames.map((c) => [`country:${c.code}`, c.name_en] as [string, string]),
      ...municipalities.map((m) => [`municipality:${m.id}`, m.name] as [string, string]),
      ...schools.map((s) => [`school:${s.id}`, s.name] as [string, string]),
    ]);
    const municipalityByName = new Map(
      municipalities.map((m) => [`${m.country_code}:${m.name.trim().toLocaleLowerCase('es')}`, m.id]),
    );

    const units = new Map<string, OrgUnitFigures>();
    const unitFor = (kind: OrgUnitKind, key: string, countryCode: string, label?: string): OrgUnitFigures => {
      const id = `${kind}:${key}`;
      let found = units.get(id);
      if (!found) {
        found = { kind, key, label: label ?? labels.get(id) ?? key, countryCode, values: {} };
        units.set(id, found);
      }
      return found;
    };
    const add = (u: OrgUnitFigures, indicator: Indicator, disaggregation: Disaggregation, value: number) => {
      const values = (u.values[indicator] ??= {});
      values[disaggregation] = (values[disaggregation] ?? 0) + value;
    };
    for (const r of reach) {
      // A session without a municipality (older data) is reported at its country.
      const u = r.unit
        ? unitFor(level, r.unit, r.country_code)
        : unitFor('country', r.country_code, r.country_code);
      add(u, 'sessions', 'total', r.sessions);
      add(u, 'schools_reached', 'total', r.schools);
      for (const s of SEXES) add(u, 'students_by_sex', s, r[s]);
      for (const a of AGES) add(u, 'students_by_age', a, r[a]);
    }
    for (const r of certified) {
      const name = (r.municipality ?? '').trim();
      const id = name
        ? municipalityByName.get(`${r.country_code}:${name.toLocaleLowerCase('es')}`)
        : undefined;
      // A workshop's municipality is free text: one that names no municipality we know cannot be mapped, and is listed so.
      const u = id
        ? unitFor('municipality', id, r.country_code)
        : name
          ? unitFor('municipality', `name:${name}`, r.country_code, name)
          : unitFor('country', r.country_code, r.country_code);
      for (const s of SEXES) add(u, 'people_trained', s, r[s]);
    }
    return [...units.values()].sort((a, b) =>
      (a.countryCode + a.label).localeCompare(b.countryCode + b.label),
    );
  }
}
