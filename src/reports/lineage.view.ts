import { t } from '../i18n/i18n';
import type { Language } from '../users/user-role.enum';
import type { CohortNode, Lineage, TrainerNode } from './lineage.service';

/** What the lineage templates show of a node: labels and links decided here, not in the template. */
export interface NodeView {
  isTrainer: boolean;
  label: string;
  hidden: boolean;
  href: string | null;
  level: number;
  generation: number | null;
  own?: TrainerNode['own'];
  branch: TrainerNode['branch'];
  startsOn?: string | null;
  endsOn?: string | null;
  countryCode?: string | null;
  facilitators?: Array<{ label: string; href: string | null }>;
  children: NodeView[];
  cutCohorts?: number;
}

export function toLineageView(lineage: Lineage, lang: Language) {
  const link = (kind: 'trainers' | 'cohorts', id: string | null) => (lineage.linkable && id ? `/lineage/${kind}/${id}` : null);
  const hiddenLabel = (kind: 'trainer' | 'cohort') => t(lang, lineage.linkable ? `lineage.hidden-${kind}-scope` : `lineage.hidden-${kind}`);
  const person = (p: { userId: string | null; name: string | null; hidden: boolean }) => ({ label: p.hidden ? hiddenLabel('trainer') : (p.name as string), href: p.hidden ? null : link('trainers', p.userId) });
  const trainer = (n: TrainerNode): NodeView => ({
    isTrainer: true,
    label: n.hidden ? hiddenLabel('trainer') : (n.name as string),
    hidden: n.hidden,
    href: n.level === 0 ? null : link('trainers', n.userId),
    level: n.level,
    generation: n.generation,
    own: n.own,
    branch: n.branch,
    children: n.cohorts.map(cohort),
    cutCohorts: n.cutCohorts,
  });
  const cohort = (n: CohortNode): NodeView => ({
    isTrainer: false,
    label: n.hidden ? hiddenLabel('cohort') : (n.name as string),
    hidden: n.hidden,
    href: n.level === 1 && lineage.root.kind === 'cohort' ? null : link('cohorts', n.cohortId),
    level: n.level,
    generation: n.generation,
    branch: n.branch,
    startsOn: n.startsOn,
    endsOn: n.endsOn,
    countryCode: n.countryCode,
    facilitators: n.facilitators.filter((f, i, all) => !f.hidden || all.findIndex((g) => g.hidden) === i).map(person),
    children: n.trainers.map(trainer),
  });
  const root = lineage.root.kind === 'cohort' ? cohort(lineage.root) : trainer(lineage.root);
  return {
    title: t(lang, lineage.root.kind === 'cohort' ? 'lineage.title-cohort' : 'lineage.title-trainer', { name: root.label }),
    isCohortRoot: lineage.root.kind === 'cohort',
    root,
    certifiedIn: lineage.certifiedIn.map((c) => ({ label: c.hidden ? hiddenLabel('cohort') : (c.name as string), href: c.hidden ? null : link('cohorts', c.cohortId), facilitators: c.facilitators.map(person) })),
    levels: lineage.levels,
    totals: lineage.totals,
    maxDepth: lineage.maxDepth,
    cutCohorts: lineage.cutCohorts,
    linkable: lineage.linkable,
  };
}
