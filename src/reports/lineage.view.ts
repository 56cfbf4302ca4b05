import { t } from '../i18n/i18n';
import type { Language } from '../common/kernel/user-role.enum';
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
  /** What lies below a trainer whose children the page leaves out (the page's node budget). */
  below?: { cohorts: number; trainers: number } | null;
}

/**
 * A page shows at most about this many nodes (HTML under 100 KB on a slow connection): whole levels
 * from the top while they fit; below that each trainer says what lies under them and links to their
 * own lineage page. The JSON API always has the whole tree.
 */
export const PAGE_NODE_BUDGET = 120;

const cohortsBelow = (n: TrainerNode): number =>
  n.cohorts.reduce((sum, c) => sum + 1 + c.trainers.reduce((s, t) => s + cohortsBelow(t), 0), 0);

export function toLineageView(lineage: Lineage, lang: Language) {
  // The deepest level down to which every node fits the budget (at least the first).
  let shownDepth = 1;
  let shown = 0;
  for (const lv of lineage.levels) {
    shown += lv.trainers + lv.cohorts;
    if (lv.level > 1 && shown > PAGE_NODE_BUDGET) break;
    shownDepth = Math.max(shownDepth, lv.level);
  }
  const deeper = lineage.levels.some((lv) => lv.level > shownDepth);
  const link = (kind: 'trainers' | 'cohorts', id: string | null) =>
    lineage.linkable && id ? `/lineage/${kind}/${id}` : null;
  const hiddenLabel = (kind: 'trainer' | 'cohort') =>
    t(lang, lineage.linkable ? `lineage.hidden-${kind}-scope` : `lineage.hidden-${kind}`);
  const person = (p: { userId: string | null; name: string | null; hidden: boolean }) => ({
    label: p.hidden ? hiddenLabel('trainer') : (p.name as string),
    href: p.hidden ? null : link('trainers', p.userId),
  });
  const trainer = (n: TrainerNode): NodeView => {
    const folded = n.level >= shownDepth && n.cohorts.length > 0;
    return {
      isTrainer: true,
      label: n.hidden ? hiddenLabel('trainer') : (n.name as string),
      hidden: n.hidden,
      href: n.level === 0 ? null : link('trainers', n.userId),
      level: n.level,
      generation: n.generation,
      own: n.own,
      branch: n.branch,
      children: folded ? [] : n.cohorts.map(cohort),
      cutCohorts: n.cutCohorts,
      below: folded ? { cohorts: cohortsBelow(n), trainers: n.branch.trainers - 1 } : null,
    };
  };
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
    facilitators: n.facilitators
      .filter((f, i, all) => !f.hidden || all.findIndex((g) => g.hidden) === i)
      .map(person),
    children: n.trainers.map(trainer),
  });
  const root = lineage.root.kind === 'cohort' ? cohort(lineage.root) : trainer(lineage.root);
  return {
    title: t(lang, lineage.root.kind === 'cohort' ? 'lineage.title-cohort' : 'lineage.title-trainer', {
      name: root.label,
    }),
    isCohortRoot: lineage.root.kind === 'cohort',
    root,
    certifiedIn: lineage.certifiedIn.map((c) => ({
      label: c.hidden ? hiddenLabel('cohort') : (c.name as string),
      href: c.hidden ? null : link('cohorts', c.cohortId),
      facilitators: c.facilitators.map(person),
    })),
    levels: lineage.levels,
    totals: lineage.totals,
    maxDepth: lineage.maxDepth,
    cutCohorts: lineage.cutCohorts,
    linkable: lineage.linkable,
    folded: deeper ? { shownDepth } : null,
  };
}
