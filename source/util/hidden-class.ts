/**
 * V8 gives objects built the same way a hidden class (a "map"), and its optimized code checks for
 * it. A map none of whose objects is alive at a full collection is collected, and the optimized code
 * that checked for it is thrown away. For a class whose objects live only while a refresh computes,
 * that was every refresh: the functions using them were compiled again each time (at 100,000 partitions,
 * tens of milliseconds of V8's compiler threads a refresh; `npm run simulate` with --trace-deopt shows
 * "reason: weak objects").
 *
 * One object of such a class, built by its constructor like the others, kept here keeps the map alive.
 */
const kept: object[] = [];

export function keepHiddenClass<T extends object>(sample: T): T {
  kept.push(sample);
  return sample;
}
