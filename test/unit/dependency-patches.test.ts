/**
 * The patches in source/patches are applied by `npm ci` (patch-package). These fail when an install
 * left a dependency unpatched, or a new version of it changed what the patch relied on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const require = createRequire(import.meta.url);

describe('dependency patches', () => {
  it('kafkajs: an idle connection schedules no timer (2.2.4 ran one every millisecond, forever)', () => {
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const queue = new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 1000,
      enforceRequestTimeout: true,
      clientId: 'test',
      broker: 'localhost:9092',
      logger,
    });
    queue.checkPendingRequests();
    assert.equal(queue.throttleCheckTimeoutId ?? null, null, 'nothing pending, not throttled: no timer');
    // A request waiting for a slot still gets its check scheduled.
    queue.pending.push({ correlationId: 1 });
    queue.canSendSocketRequestImmediately = () => false;
    queue.scheduleCheckPendingRequests();
    assert.notEqual(queue.throttleCheckTimeoutId ?? null, null, 'a pending request is checked again');
    clearTimeout(queue.throttleCheckTimeoutId);
  });

  it("kafkajs: a refused CreateTopics keeps the broker's reason (2.2.4 decoded it, then dropped it)", async () => {
    for (const version of [1, 2, 3]) {
      const { parse } = require(`kafkajs/src/protocol/requests/createTopics/v${version}/response.js`);
      const reason = 'Invalid value 100 for configuration segment.bytes: Value must be at least 1048576';
      await assert.rejects(
        parse({
          topicErrors: [
            { topic: 'small-segments', errorCode: 40, errorMessage: reason },
            { topic: 'fine', errorCode: 0, errorMessage: null },
          ],
        }),
        (error: { errors: Array<{ topic: string; type: string; brokerMessage: string }> }) => {
          assert.deepEqual(
            error.errors.map((e) => [e.topic, e.type, e.brokerMessage]),
            [['small-segments', 'INVALID_CONFIG', reason]],
          );
          return true;
        },
      );
    }
  });

  it('ansi-tokenize: the characters of a line share one hidden class, and a style list while it holds', async () => {
    const { styledCharsFromTokens, styledCharsToString, tokenize } = await import('@alcalzone/ansi-tokenize');
    setFlagsFromString('--allow-natives-syntax');
    const sameHiddenClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
      a: object,
      b: object,
    ) => boolean;
    const line = '\u001b[32m✓ in sync\u001b[39m scale-001 \u001b[7mx\u001b[27m';
    const chars = styledCharsFromTokens(tokenize(line));
    assert.equal(styledCharsToString(chars), line, 'the same text and colours');
    assert.ok(
      chars.every((c) => sameHiddenClass(c, chars[0] as object)),
      'spread from the token, each character had a hidden class of its own',
    );
    const green = chars.filter((c) => c.styles.some((s) => s.code === '\u001b[32m'));
    assert.equal(green.length, '✓ in sync'.length);
    assert.ok(
      green.every((c) => c.styles === green[0]?.styles),
      'one list for the characters of one style',
    );
    assert.notEqual(chars.at(-1)?.styles, green[0]?.styles);
  });

  it("ink: a frame's tokenized lines are kept for the next frame, and the blank cell is shared", async () => {
    // Ink exports only its entry point: its Output module is found next to it.
    const { default: Output } = await import(
      new URL('./output.js', pathToFileURL(require.resolve('ink'))).href
    );
    const line = '\u001b[32m✓ caught up\u001b[39m';
    const first = new Output({ width: 20, height: 2 });
    first.write(0, 0, line, { transformers: [] });
    const firstFrame = first.get().output;
    const cached = first.caches.getStyledChars(line);
    const second = new Output({ width: 20, height: 2 });
    assert.equal(
      second.caches.getStyledChars(line),
      cached,
      'the same styled characters, not tokenized again',
    );
    second.write(0, 0, line, { transformers: [] });
    assert.equal(second.get().output, firstFrame);
    // Two frames later a line not drawn in between is tokenized again (the cache holds one frame back).
    new Output({ width: 20, height: 2 });
    new Output({ width: 20, height: 2 });
    const third = new Output({ width: 20, height: 2 });
    assert.notEqual(third.caches.getStyledChars(line), cached);
  });

  it("ink: a row of the previous frame's very cells keeps its text; a changed row is drawn again", async () => {
    const { default: Output } = await import(
      new URL('./output.js', pathToFileURL(require.resolve('ink'))).href
    );
    const frame = (lines: string[]) => {
      const output = new Output({ width: 12, height: lines.length });
      lines.forEach((line, y) => {
        output.write(0, y, line, { transformers: [] });
      });
      return { text: output.get().output, caches: output.caches };
    };
    const first = frame(['\u001b[32mok\u001b[39m 12', 'lag 3']);
    const rowsBefore = first.caches.previousRows;
    assert.equal(rowsBefore.length, 2, "the frame's rows are kept for the next one");
    const second = frame(['\u001b[32mok\u001b[39m 12', 'lag 4']);
    assert.equal(second.text, '\u001b[32mok\u001b[39m 12\nlag 4');
    assert.deepEqual(
      second.caches.previousRows.map((row: unknown[], y: number) =>
        row.every((cell, x) => cell === rowsBefore[y][x]),
      ),
      [true, false],
      'the unchanged row is made of the same cells, the changed one is not',
    );
  });

  it('ink: the newest Output outlives its frame, until the next one (its hidden class with it)', async () => {
    const { default: Output } = await import(
      new URL('./output.js', pathToFileURL(require.resolve('ink'))).href
    );
    // A collection on demand, as node --expose-gc gives: V8 collects an Output none holds.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collected = async (ref: WeakRef<object>) => {
      // A WeakRef's target is kept until the current job ends: collect after a turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      return ref.deref() === undefined;
    };
    const first = new WeakRef(new Output({ width: 4, height: 1 }));
    assert.equal(await collected(first), false, 'the newest Output is kept between frames');
    new Output({ width: 4, height: 1 });
    assert.equal(await collected(first), true, 'and let go once the next frame has its own');
  });

  it("ink: an update's props are compared without an array of keys per node (the UI tests check the output)", () => {
    const reconciler = readFileSync(
      new URL('./reconciler.js', pathToFileURL(require.resolve('ink'))),
      'utf8',
    );
    assert.match(reconciler, /mirrorwatch: for\.\.in instead of Object\.keys/);
    assert.doesNotMatch(reconciler, /for \(const key of Object\.keys\(before\)\)/);
    assert.doesNotMatch(reconciler, /Object\.entries\(props\)/);
  });
});
