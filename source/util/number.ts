/**
 * `n` in the form V8 keeps inline. A number read from a Float64Array (or made by float arithmetic) is
 * a heap-allocated box even when it is a small integer, and an object field that once held a box
 * keeps one per object: 16 bytes and an allocation each, three per group partition on the scaled lab
 * (a heap snapshot counted 380,000). An integer in int32 range comes back as such, which V8 stores
 * in the field itself; larger offsets stay boxed.
 */
export function inlineNumber(n: number): number {
  const int = n | 0;
  return int === n ? int : n;
}
