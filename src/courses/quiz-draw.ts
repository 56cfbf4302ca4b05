import type { QuizQuestion } from './content/course-package';

/**
 * mulberry32: a small, well-known 32-bit seeded PRNG (Tommy Ettinger's public-domain generator).
 * Not for secrets: the seed itself comes from crypto; this only makes a sitting reproducible from it.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** What one sitting shows: the drawn question ids in the order shown, and each one's option ids in the order shown. */
export interface SittingPlan {
  questionIds: string[];
  optionOrder: Record<string, string[]>;
}

/** Seeds fit a PostgreSQL integer column: 31 bits. */
export const MAX_SEED = 2 ** 31 - 1;

/**
 * The questions and option orders of one sitting, reproducible from `seed`: anchors always, the
 * other questions drawn at random until `draw` (null = all); the drawn questions keep the bank's
 * order (a question may build on the one before), and every question's options are shuffled.
 */
export function planSitting(
  questions: readonly QuizQuestion[],
  draw: number | null,
  seed: number,
): SittingPlan {
  const random = mulberry32(seed);
  const anchors = questions.filter((q) => q.anchor);
  const others = questions.filter((q) => !q.anchor);
  const wanted =
    draw === null ? questions.length : Math.min(questions.length, Math.max(draw, anchors.length));
  const drawnOthers = new Set(
    shuffled(
      others.map((q) => q.id),
      random,
    ).slice(0, wanted - anchors.length),
  );
  const drawn = questions.filter((q) => q.anchor || drawnOthers.has(q.id));
  const optionOrder: Record<string, string[]> = {};
  for (const q of drawn)
    optionOrder[q.id] = shuffled(
      q.options.map((o) => o.id),
      random,
    );
  return { questionIds: drawn.map((q) => q.id), optionOrder };
}

/** The bank's questions as a sitting shows them: drawn ones only, in its order, options reordered (unknown ids are skipped). */
export function questionsAsShown(questions: readonly QuizQuestion[], plan: SittingPlan): QuizQuestion[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  return plan.questionIds.flatMap((id) => {
    const q = byId.get(id);
    if (!q) return [];
    const order = plan.optionOrder[id] ?? q.options.map((o) => o.id);
    const options = order
      .map((oid) => q.options.find((o) => o.id === oid))
      .filter((o): o is QuizQuestion['options'][number] => !!o);
    // Options added to the bank after the plan was made (never: versions are immutable) would still be shown last.
    for (const o of q.options) if (!options.includes(o)) options.push(o);
    return [{ ...q, options }];
  });
}
