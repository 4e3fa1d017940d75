/**
 * A stable in-place insertion sort for the hot path's short lists (a handful of caps or candidates per
 * account): no copy and no closure, and for a total order the same result as `Array.prototype.sort`.
 *
 * @example
 * const xs = [3, 1, 2];
 * sortInPlace(xs, (a, b) => a - b); // xs is [1, 2, 3]
 */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < list.length; i++) {
    const c = list[i] as T;
    let j = i - 1;
    while (j >= 0 && compare(list[j] as T, c) > 0) {
      list[j + 1] = list[j] as T;
      j--;
    }
    list[j + 1] = c;
  }
  return list;
}
