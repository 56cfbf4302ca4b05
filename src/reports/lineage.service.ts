import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { countryScopeOf } from '../common/access/scope';
import { LineageError } from './lineage.errors';
import type { LineageRoot } from './lineage.query';
import { CohortRow, LineageRepository } from './lineage.repository';
import { isUuid } from '../common/ids';

/** Trainer levels shown below the root; deeper cohorts are counted in `cutCohorts`, not shown. */
export const LINEAGE_MAX_DEPTH = 5;

export interface Reach {
  sessions: number;
  schools: number;
  students: number;
}
export interface BranchReach extends Reach {
  /** Trainers in the branch (a trainer node counts itself). */
  trainers: number;
}

/**
 * A node the viewer may not identify (a cohort outside a manager's country scope and the trainers
 * it certified; for a trainer looking at their own lineage, the trainers below the ones they
 * certified themselves) keeps its place and figures but has no id, name, country or dates.
 */
export interface TrainerNode {
  kind: 'trainer';
  userId: string | null;
  name: string | null;
  hidden: boolean;
  /** 0 = the root trainer; 1 = certified in the root cohort (or in a cohort the root trainer facilitated); … */
  level: number;
  /** Program generation (lineage.query.ts); null when not in the lineage or hidden. */
  generation: number | null;
  own: Reach;
  branch: BranchReach;
  cohorts: CohortNode[];
  /** Cohorts this trainer facilitated that lie below the depth limit (not shown, not in the totals). */
  cutCohorts: number;
}

export interface CohortNode {
  kind: 'cohort';
  cohortId: string | null;
  name: string | null;
  hidden: boolean;
  level: number;
  generation: number | null;
  countryCode: string | null;
  startsOn: string | null;
  endsOn: string | null;
  facilitators: Array<{ userId: string | null; name: string | null; hidden: boolean }>;
  branch: BranchReach;
  trainers: TrainerNode[];
}

export interface LevelTotals extends Reach {
  level: number;
  trainers: number;
  cohorts: number;
}

export interface Lineage {
  root: CohortNode | TrainerNode;
  /** For a trainer root: the cohorts that certified them (where their own lineage comes from). */
  certifiedIn: Array<{
    cohortId: string | null;
    name: string | null;
    hidden: boolean;
    facilitators: Array<{ userId: string | null; name: string | null; hidden: boolean }>;
  }>;
  levels: LevelTotals[];
  totals: BranchReach & { cohorts: number };
  maxDepth: number;
  cutCohorts: number;
  includeSubmitted: boolean;
  /** Whether the viewer may open the lineage pages of the nodes (managers and admins). */
  linkable: boolean;
}

/**
 * The cascade lineage as a tree (DESIGN.md "Second-generation cascade"): a cohort's facilitators →
 * the trainers it certified → the cohorts those trainers facilitated → … down to
 * LINEAGE_MAX_DEPTH trainer levels, with each trainer's confirmed sessions, schools and students
 * and totals per branch and per level. A constant number of queries whatever the size of the tree
 * (recursive CTEs, then one grouped query per relation); the tree is assembled in memory.
 */
@Injectable()
export class LineageService {
  constructor(private readonly data: LineageRepository) {}

  /** The tree below a cohort: managers in the cohort's country, admins. */
  async ofCohort(actor: AuthUser, cohortId: string, includeSubmitted: boolean): Promise<Lineage> {
    if (actor.role !== 'manager' && actor.role !== 'admin') throw new LineageError('forbidden', 'forbidden');
    if (!isUuid(cohortId)) throw new LineageError('not-found', 'cohort-not-found');
    const cohort = await this.data.cohortCountry(cohortId);
    if (!cohort) throw new LineageError('not-found', 'cohort-not-found');
    const scope = countryScopeOf(actor);
    if (scope !== null && cohort.country_code !== scope) throw new LineageError('forbidden', 'out-of-scope');
    return this.build(actor, { kind: 'cohort', id: cohortId }, includeSubmitted);
  }

  /**
   * The tree below a person who certified trainers (a certified trainer, or a manager who
   * facilitated): managers when the person was certified in, or facilitated, a cohort of their
   * country; admins; and the trainer themselves (their own multiplier, DESIGN.md).
   */
  async ofTrainer(actor: AuthUser, userId: string, includeSubmitted: boolean): Promise<Lineage> {
    const self = actor.id === userId;
    if (actor.role === 'coordinator' || (actor.role === 'trainer' && !self))
      throw new LineageError('forbidden', 'forbidden');
    if (!isUuid(userId)) throw new LineageError('not-found', 'trainer-not-found');
    const countries = await this.data.countriesOfPerson(userId);
    // Nobody's lineage (no certification, never facilitated): unknown to everyone but the person themselves.
    if (!countries.length && !self) throw new LineageError('not-found', 'trainer-not-found');
    const scope = countryScopeOf(actor);
    if (!self && scope !== null && !countries.includes(scope))
      throw new LineageError('forbidden', 'out-of-scope');
    return this.build(actor, { kind: 'trainer', id: userId }, includeSubmitted);
  }

  private async build(actor: AuthUser, root: LineageRoot, includeSubmitted: boolean): Promise<Lineage> {
    const max = LINEAGE_MAX_DEPTH;
    const { cohorts, certs, facilitators, sessions, generations, rootInfo } = await this.data.tree(
      root,
      max,
      includeSubmitted,
    );
    const rootTrainer = root.kind === 'trainer' ? root.id : null;
    if (rootTrainer && !rootInfo.length) throw new LineageError('not-found', 'trainer-not-found');

    const scope = countryScopeOf(actor);
    const isViewerTrainer = actor.role === 'trainer';
    const cohortById = new Map(cohorts.map((c) => [c.id, c]));
    const generation = new Map(generations.map((g) => [`${g.kind}:${g.id}`, g.generation]));
    const certifiedBy = group(certs, (c) => c.cohort_id);
    const facilitatorsOf = group(facilitators, (f) => f.cohort_id);
    const facilitated = group(
      facilitators.filter((f) => cohortById.has(f.cohort_id)),
      (f) => f.user_id,
    );
    const sessionsOf = group(sessions, (s) => s.trainer_id);
    const cohortVisible = (c: { country_code: string | null }) => scope === null || c.country_code === scope;
    const sortCohorts = (ids: string[]) =>
      ids
        .map((id) => cohortById.get(id) as CohortRow)
        .sort((a, b) =>
          a.starts_on < b.starts_on ? -1 : a.starts_on > b.starts_on ? 1 : a.name.localeCompare(b.name),
        );

    const reachOf = (trainerId: string): { reach: Reach; schools: Set<string> } => {
      const list = sessionsOf.get(trainerId) ?? [];
      return {
        reach: {
          sessions: list.reduce((n, s) => n + s.sessions, 0),
          students: list.reduce((n, s) => n + s.students, 0),
          schools: new Set(list.map((s) => s.school_id)).size,
        },
        schools: new Set(list.map((s) => s.school_id)),
      };
    };
    const placedTrainers = new Set<string>(rootTrainer ? [rootTrainer] : []);
    const placedCohorts = new Set<string>();
    const schoolSets = new Map<object, Set<string>>();
    const trainerIds = new Map<TrainerNode, string>();
    const levelSchools = new Map<number, Set<string>>();
    const levels = new Map<number, LevelTotals>();
    const level = (n: number) => {
      if (!levels.has(n))
        levels.set(n, { level: n, trainers: 0, cohorts: 0, sessions: 0, schools: 0, students: 0 });
      return levels.get(n) as LevelTotals;
    };
    let cutCohorts = 0;

    const facilitatorList = (cohortId: string, visible: boolean) =>
      (facilitatorsOf.get(cohortId) ?? [])
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((f) =>
          visible
            ? { userId: f.user_id, name: f.name, hidden: false }
            : { userId: null, name: null, hidden: true },
        );

    const trainerNode = (trainerId: string, name: string, depth: number, visible: boolean): TrainerNode => {
      const own = reachOf(trainerId);
      const node: TrainerNode = {
        kind: 'trainer',
        userId: visible ? trainerId : null,
        name: visible ? name : null,
        hidden: !visible,
        level: depth,
        generation: visible ? (generation.get(`trainer:${trainerId}`) ?? null) : null,
        own: own.reach,
        branch: { trainers: 1, ...own.reach },
        cohorts: [],
        cutCohorts: 0,
      };
      schoolSets.set(node, own.schools);
      trainerIds.set(node, trainerId);
      const lv = level(depth);
      if (depth > 0) lv.trainers++;
      lv.sessions += own.reach.sessions;
      lv.students += own.reach.students;
      const ls = levelSchools.get(depth) ?? new Set<string>();
      for (const s of own.schools) ls.add(s);
      levelSchools.set(depth, ls);
      return node;
    };
    const cohortNode = (row: CohortRow, depth: number, visible: boolean): CohortNode => {
      const node: CohortNode = {
        kind: 'cohort',
        cohortId: visible ? row.id : null,
        name: visible ? row.name : null,
        hidden: !visible,
        level: depth,
        generation: visible ? (generation.get(`cohort:${row.id}`) ?? null) : null,
        countryCode: visible ? row.country_code : null,
        startsOn: visible ? row.starts_on : null,
        endsOn: visible ? row.ends_on : null,
        // A trainer viewing their own lineage: who led the cohorts they led themselves, not those further down.
        facilitators: facilitatorList(row.id, visible && !(isViewerTrainer && depth > 1)),
        branch: { trainers: 0, sessions: 0, schools: 0, students: 0 },
        trainers: [],
      };
      schoolSets.set(node, new Set());
      level(depth).cohorts++;
      return node;
    };

    // Breadth first, so each trainer and cohort sits at its shallowest place and is counted once.
    let frontier: Array<{ cohort: CohortRow; parent: TrainerNode | null }> = [];
    let rootNode: CohortNode | TrainerNode;
    let rootCohort: CohortNode | null = null;
    if (root.kind === 'cohort') {
      const row = cohortById.get(root.id) as CohortRow;
      rootCohort = cohortNode(row, 1, true);
      rootNode = rootCohort;
      placedCohorts.add(row.id);
    } else {
      const info = rootInfo[0];
      rootNode = trainerNode(root.id, info.name, 0, true);
      for (const c of sortCohorts((facilitated.get(root.id) ?? []).map((f) => f.cohort_id))) {
        if (placedCohorts.has(c.id)) continue;
        placedCohorts.add(c.id);
        frontier.push({ cohort: c, parent: rootNode });
      }
    }
    const trainerNodes: TrainerNode[] = rootNode.kind === 'trainer' ? [rootNode] : [];
    const cohortNodes: CohortNode[] = rootCohort ? [rootCohort] : [];
    const parentOf = new Map<object, CohortNode | TrainerNode>();
    let depth = 1;
    let currentCohorts: Array<{ node: CohortNode; row: CohortRow }> = rootCohort
      ? [{ node: rootCohort, row: cohortById.get(root.id) as CohortRow }]
      : [];
    for (;;) {
      for (const { cohort, parent } of frontier) {
        // Visible: in the viewer's scope; a trainer viewing their own lineage sees the cohorts they led and below.
        const node = cohortNode(cohort, depth, cohortVisible(cohort));
        (parent as TrainerNode).cohorts.push(node);
        parentOf.set(node, parent as TrainerNode);
        cohortNodes.push(node);
        currentCohorts.push({ node, row: cohort });
      }
      frontier = [];
      const newTrainers: TrainerNode[] = [];
      for (const { node, row } of currentCohorts) {
        const list = (certifiedBy.get(row.id) ?? [])
          .filter((c) => !placedTrainers.has(c.user_id))
          .sort((a, b) => a.name.localeCompare(b.name));
        for (const cert of list) {
          if (placedTrainers.has(cert.user_id)) continue; // certified twice in the cohort (renewal after expiry)
          placedTrainers.add(cert.user_id);
          // A trainer viewing their own lineage sees the names of the trainers they certified, not those further down.
          const visible = !node.hidden && !(isViewerTrainer && depth > 1);
          const t = trainerNode(cert.user_id, cert.name, depth, visible);
          node.trainers.push(t);
          parentOf.set(t, node);
          trainerNodes.push(t);
          newTrainers.push(t);
        }
      }
      currentCohorts = [];
      if (!newTrainers.length) break;
      const next = depth + 1;
      for (const t of newTrainers) {
        const id = trainerIds.get(t) as string;
        for (const c of sortCohorts((facilitated.get(id) ?? []).map((f) => f.cohort_id))) {
          if (placedCohorts.has(c.id)) continue;
          placedCohorts.add(c.id);
          if (next > max) {
            t.cutCohorts++;
            cutCohorts++;
            continue;
          }
          frontier.push({ cohort: c, parent: t });
        }
      }
      if (!frontier.length) break;
      depth = next;
    }

    // Branch totals, bottom up: deepest nodes first, each adds itself to its parent.
    const all: Array<CohortNode | TrainerNode> = [...trainerNodes, ...cohortNodes].sort(
      (a, b) => b.level - a.level || (a.kind === 'trainer' ? -1 : 1),
    );
    for (const node of all) {
      const schools = schoolSets.get(node) as Set<string>;
      node.branch.schools = schools.size;
      const parent = parentOf.get(node);
      if (!parent) continue;
      parent.branch.trainers += node.branch.trainers;
      parent.branch.sessions += node.branch.sessions;
      parent.branch.students += node.branch.students;
      const into = schoolSets.get(parent) as Set<string>;
      for (const s of schools) into.add(s);
    }
    // A trainer node's branch starts from its own figures; a cohort node's from nothing (set above).
    for (const [n, lv] of levels) lv.schools = levelSchools.get(n)?.size ?? 0;
    const levelList = [...levels.values()].sort((a, b) => a.level - b.level);
    const allSchools = schoolSets.get(rootNode) as Set<string>;

    const certifiedIn: Lineage['certifiedIn'] = [];
    if (rootTrainer) {
      const byCohort = group(
        rootInfo.filter((r) => r.cohort_id),
        (r) => r.cohort_id as string,
      );
      for (const [cohortId, list] of byCohort) {
        const visible = cohortVisible({ country_code: list[0].country_code });
        certifiedIn.push({
          cohortId: visible ? cohortId : null,
          name: visible ? list[0].cohort_name : null,
          hidden: !visible,
          facilitators: list
            .filter((r) => r.facilitator_id)
            .map((r) =>
              visible
                ? { userId: r.facilitator_id, name: r.facilitator_name, hidden: false }
                : { userId: null, name: null, hidden: true },
            ),
        });
      }
    }
    return {
      root: rootNode,
      certifiedIn,
      levels: levelList,
      totals: {
        trainers: trainerNodes.filter((t) => t.level > 0).length,
        cohorts: cohortNodes.length,
        sessions: rootNode.branch.sessions,
        students: rootNode.branch.students,
        schools: allSchools.size,
      },
      maxDepth: max,
      cutCohorts,
      includeSubmitted,
      linkable: actor.role === 'manager' || actor.role === 'admin',
    };
  }
}

function group<T>(list: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const bucket = out.get(k);
    if (bucket) bucket.push(item);
    else out.set(k, [item]);
  }
  return out;
}
