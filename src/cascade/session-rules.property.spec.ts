import fc from 'fast-check';
import { MAX_COUNT } from './dto/cascade.dto';
import { type Counts, moduleKey, sessionProblems } from './session-rules';

/** Property-based checks of the cascade session rules (the examples live in session-rules.spec.ts). */

const TODAY = '2026-03-02';
const count = fc.integer({ min: 0, max: MAX_COUNT });
const counts: fc.Arbitrary<Counts> = fc.record({
  female: count,
  male: count,
  unspecified: count,
  under_10: count,
  '10_14': count,
  '15_17': count,
  '18_plus': count,
  teachers: count,
  parents: count,
});
const sexTotal = (c: Counts) => c.female + c.male + c.unspecified;
const ageTotal = (c: Counts) => c.under_10 + c['10_14'] + c['15_17'] + c['18_plus'];
/** A real calendar date from 2000-01-01 up to TODAY, as `YYYY-MM-DD`. */
const pastDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Splits `total` into `parts` non-negative integers (each within 0..MAX_COUNT when total allows). */
const split = (total: number, parts: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: total }), { minLength: parts - 1, maxLength: parts - 1 }).map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), total];
    return sorted.slice(1).map((v, i) => v - sorted[i]);
  });

/** Counts whose two breakdowns both sum to `total`. */
const balanced = (total: fc.Arbitrary<number>): fc.Arbitrary<Counts> =>
  total.chain((n) =>
    fc
      .tuple(split(n, 3), split(n, 4), count, count)
      .map(([[female, male, unspecified], [under_10, a10, a15, a18], teachers, parents]) => ({
        female,
        male,
        unspecified,
        under_10,
        '10_14': a10,
        '15_17': a15,
        '18_plus': a18,
        teachers,
        parents,
      })),
  );

describe('cascade session rules (properties)', () => {
  it('reports totals-differ exactly when the sex total differs from the age total', () => {
    fc.assert(
      fc.property(pastDate, fc.oneof(counts, balanced(fc.integer({ min: 0, max: MAX_COUNT }))), (date, c) => {
        const problems = sessionProblems(date, c, TODAY);
        const differ = sexTotal(c) !== ageTotal(c);
        expect(problems.ageBands !== undefined).toBe(differ);
        if (differ)
          expect(problems.ageBands).toEqual([
            { key: 'totals-differ', params: { sex: sexTotal(c), age: ageTotal(c) } },
          ]);
      }),
      { numRuns: 500 },
    );
  });

  it('never reports a problem for a valid past date with equal totals above zero', () => {
    fc.assert(
      fc.property(pastDate, balanced(fc.integer({ min: 1, max: MAX_COUNT })), (date, c) => {
        expect(sexTotal(c)).toBe(ageTotal(c));
        expect(sessionProblems(date, c, TODAY)).toEqual({});
      }),
      { numRuns: 500 },
    );
  });

  it('makes the module key insensitive to order and repetition', () => {
    const slug = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    // A set of slugs, then any reordering of it with any of its members repeated any number of times.
    const setAndVariant = fc.uniqueArray(slug, { minLength: 1, maxLength: 8 }).chain((slugs) =>
      fc
        .array(fc.constantFrom(...slugs), { maxLength: 10 })
        .map((extra) => [...slugs, ...extra])
        .chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }))
        .map((variant) => ({ slugs, variant })),
    );
    fc.assert(
      fc.property(setAndVariant, ({ slugs, variant }) => {
        expect(moduleKey(variant)).toBe(moduleKey(slugs));
        expect(moduleKey(variant)).toBe([...slugs].sort().join(','));
      }),
      { numRuns: 300 },
    );
  });

  it('gives different sets different module keys', () => {
    const slug = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(slug, { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(slug, { minLength: 1, maxLength: 6 }),
        (a, b) => {
          const same = a.length === b.length && a.every((s) => b.includes(s));
          expect(moduleKey(a) === moduleKey(b)).toBe(same);
        },
      ),
      { numRuns: 300 },
    );
  });
});
