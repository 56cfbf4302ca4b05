import type { CohortNode, Lineage, TrainerNode } from './lineage.service';
import { PAGE_NODE_BUDGET, toLineageView } from './lineage.view';

const reach = { sessions: 1, schools: 1, students: 10 };
let n = 0;
/** A cohort at `level` certifying `width` trainers, each leading one cohort below, down to `depth`. */
function cohort(level: number, width: number, depth: number): CohortNode {
  const trainers: TrainerNode[] = Array.from({ length: width }, () => {
    const below = level < depth ? [cohort(level + 1, width, depth)] : [];
    const branchTrainers = 1 + below.reduce((s, c) => s + c.branch.trainers, 0);
    return {
      kind: 'trainer',
      userId: `t${++n}`,
      name: `Trainer ${n}`,
      hidden: false,
      level,
      generation: level,
      own: reach,
      branch: { ...reach, trainers: branchTrainers },
      cohorts: below,
      cutCohorts: 0,
    };
  });
  return {
    kind: 'cohort',
    cohortId: `c${++n}`,
    name: `Cohort ${n}`,
    hidden: false,
    level,
    generation: level,
    countryCode: 'SV',
    startsOn: '2025-01-01',
    endsOn: '2025-01-02',
    facilitators: [],
    branch: { ...reach, trainers: trainers.reduce((s, t) => s + t.branch.trainers, 0) },
    trainers,
  };
}
function lineageOf(root: CohortNode): Lineage {
  const levels = new Map<number, { trainers: number; cohorts: number }>();
  const walk = (c: CohortNode) => {
    const lv = levels.get(c.level) ?? { trainers: 0, cohorts: 0 };
    lv.cohorts++;
    lv.trainers += c.trainers.length;
    levels.set(c.level, lv);
    c.trainers.forEach((t) => t.cohorts.forEach(walk));
  };
  walk(root);
  return {
    root,
    certifiedIn: [],
    levels: [...levels].map(([level, v]) => ({ level, ...v, ...reach })),
    totals: { ...root.branch, cohorts: 0 },
    maxDepth: 5,
    cutCohorts: 0,
    includeSubmitted: false,
    linkable: true,
  };
}
const count = (v: ReturnType<typeof toLineageView>['root']): number =>
  1 + v.children.reduce((s, c) => s + count(c), 0);

describe('lineage page view', () => {
  it('shows a small tree whole, with links to every node but the root', () => {
    const view = toLineageView(lineageOf(cohort(1, 2, 3)), 'en');
    expect(view.folded).toBeNull();
    expect(count(view.root)).toBe(1 + 2 + 2 + 4 + 4 + 8); // the cohort, then trainers and the cohorts they led, three levels
    expect(view.root.href).toBeNull();
    expect(view.root.children[0].href).toMatch(/^\/lineage\/trainers\/t\d+$/);
  });

  it('folds a wide tree below the last level that fits the budget, saying what lies below', () => {
    const view = toLineageView(lineageOf(cohort(1, 6, 4)), 'en'); // levels: 7, 42, 252, 1512 nodes
    expect(view.folded).toEqual({ shownDepth: 2 });
    expect(count(view.root)).toBeLessThanOrEqual(PAGE_NODE_BUDGET);
    const levelTwo = view.root.children[0].children[0].children[0];
    expect(levelTwo).toMatchObject({
      isTrainer: true,
      level: 2,
      children: [],
      below: { cohorts: 1 + 6, trainers: 6 + 36 },
    });
    expect(view.root.children[0].below).toBeNull();
  });

  it('never hides the first level, however wide', () => {
    const view = toLineageView(lineageOf(cohort(1, PAGE_NODE_BUDGET + 5, 2)), 'es');
    expect(view.folded).toEqual({ shownDepth: 1 });
    expect(view.root.children).toHaveLength(PAGE_NODE_BUDGET + 5);
    expect(view.root.children.every((t) => t.children.length === 0 && t.below?.cohorts === 1)).toBe(true);
  });
});
