import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareNames } from '../../source/model/name-order.js';

/** Names where code-unit order and a locale's collation disagree: case, `-` `.` `_`, digits, non-ASCII. */
const NAMES = [
  'apache-logs',
  'DmmAccess',
  'topic1',
  'topic10',
  'topic2',
  'orders_eu',
  'orders-eu',
  'orders.eu',
  'Orders',
  '__consumer_offsets',
  'mm2-offset-syncs.target.internal',
  'source.checkpoints.internal',
  'heartbeats',
  '_schemas',
  'zeta',
  'Zeta',
  'événements',
  'evenements',
  'ü-topic',
  '𝔘nicode', // a surrogate pair: Java and JavaScript both compare its UTF-16 units
  '\uFF21wide',
  '',
];

/** Java's own String.compareTo over the same names (one line each, escaped as \uXXXX to stay ASCII). */
function javaSorted(names: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mw-name-order-'));
  try {
    const escaped = names.map((n) =>
      Array.from({ length: n.length }, (_, i) => `\\u${n.charCodeAt(i).toString(16).padStart(4, '0')}`).join(
        '',
      ),
    );
    const literal = escaped.map((e) => `"${e}"`).join(', ');
    const source = join(dir, 'Order.java');
    writeFileSync(
      source,
      `public class Order { public static void main(String[] a) {
        String[] n = { ${literal} };
        java.util.Arrays.sort(n);
        for (String s : n) { StringBuilder b = new StringBuilder();
          for (char c : s.toCharArray()) b.append(String.format("%04x", (int) c));
          System.out.println("[" + b + "]"); } } }`,
    );
    const java = spawnSync('java', [source], { encoding: 'utf8' });
    assert.equal(java.status, 0, java.stderr);
    return java.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const hex = line.slice(1, -1);
        let s = '';
        for (let i = 0; i < hex.length; i += 4)
          s += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
        return s;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('name order', () => {
  it("sorts names as Java's String.compareTo does (Kafka's own tools), not as localeCompare", () => {
    const ours = [...NAMES].sort(compareNames);
    assert.deepEqual(ours, javaSorted(NAMES));
    // The cases that made the change: localeCompare ordered these the other way round.
    assert.ok(ours.indexOf('DmmAccess') < ours.indexOf('apache-logs'));
    assert.ok(ours.indexOf('orders-eu') < ours.indexOf('orders_eu'));
    assert.ok('apache-logs'.localeCompare('DmmAccess') < 0, 'the collation this replaces disagrees');
  });

  it('is a total order: equal only for the same name, and antisymmetric', () => {
    for (const a of NAMES)
      for (const b of NAMES) {
        assert.equal(compareNames(a, b) === 0, a === b);
        assert.equal(Math.sign(compareNames(a, b)) + Math.sign(compareNames(b, a)), 0);
      }
  });
});
