import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../source/config/errors.js';
import { flowLabel, parseClusterFlag, parseFlowName, resolveFlows } from '../../source/config/flows.js';
import { parseMm2Config, topicSelected } from '../../source/config/mm2-config.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';

const flowsOf = (connections: ReturnType<typeof resolveFlows>) =>
  connections.map((c) => `${c.source.alias}->${c.target.alias}`);

describe('several MM2 flows', () => {
  it("Kafka's sample connect-mirror-maker.properties gives A->B and B->A, each with its own clusters", () => {
    const config = parseMm2Config(fixture('mm2-kafka-sample-connect-mirror-maker.properties'));
    assert.deepEqual(
      config.flows.map((f) => [flowLabel(f), f.topics]),
      [
        ['A->B', ['.*']],
        ['B->A', ['.*']],
      ],
    );
    assert.equal(config.policy.kind, 'default');
    const connections = resolveFlows({
      mm2Config: fixturePath('mm2-kafka-sample-connect-mirror-maker.properties'),
    });
    assert.deepEqual(flowsOf(connections), ['A->B', 'B->A']);
    const [ab, ba] = connections;
    assert.deepEqual(ab?.source.bootstrap, ['A_host1:9092', 'A_host2:9092', 'A_host3:9092']);
    assert.deepEqual(ab?.target.bootstrap, ['B_host1:9092', 'B_host2:9092', 'B_host3:9092']);
    assert.deepEqual(ba?.source.bootstrap, ab?.target.bootstrap);
    assert.deepEqual(ba?.target.bootstrap, ab?.source.bootstrap);
    assert.equal(ba?.flow?.source, 'B');
    // Active/active: A's copy of a B topic (B.orders) never goes back to B.
    assert.equal(topicSelected(ab!.flow!, 'B.orders', ab!.policy), false);
    assert.equal(topicSelected(ab!.flow!, 'orders', ab!.policy), true);
  });

  it("the seeds' properties give the flows they enable, and only those", () => {
    assert.deepEqual(parseMm2Config(fixture('mm2-seed-rdc-ord.properties')).flows.map(flowLabel), [
      'rdc->ord',
    ]);
    assert.deepEqual(parseMm2Config(fixture('mm2-seed-charmed.properties')).flows.map(flowLabel), [
      'old->new',
    ]);
    assert.deepEqual(flowsOf(resolveFlows({ mm2Config: fixturePath('mm2-seed-rdc-ord.properties') })), [
      'rdc->ord',
    ]);
  });

  it('--flow narrows the flows, and names the known ones when it matches none', () => {
    const mm2Config = fixturePath('mm2-kafka-sample-connect-mirror-maker.properties');
    assert.deepEqual(flowsOf(resolveFlows({ mm2Config, flows: ['B->A'] })), ['B->A']);
    assert.throws(
      () => resolveFlows({ mm2Config, flows: ['A->C'] }),
      (e: Error) => e instanceof ConfigError && e.message === 'no flow A->C (flows: A->B, B->A)',
    );
  });

  it('--cluster names clusters; without --flow every direction between them is a flow', () => {
    const clusters = ['old=127.0.0.1:9092,127.0.0.1:9093', 'new=127.0.0.1:19092'];
    assert.deepEqual(flowsOf(resolveFlows({ clusters })), ['old->new', 'new->old']);
    const [only] = resolveFlows({ clusters, flows: ['new->old'] });
    assert.deepEqual(only?.source.bootstrap, ['127.0.0.1:19092']);
    assert.deepEqual(only?.target.bootstrap, ['127.0.0.1:9092', '127.0.0.1:9093']);
    assert.throws(
      () => resolveFlows({ clusters, flows: ['old->dr'] }),
      /names cluster dr, not given with --cluster/,
    );
    assert.throws(() => resolveFlows({ clusters: ['old=127.0.0.1:9092'] }), /at least two clusters/);
    assert.throws(() => resolveFlows({ clusters, source: '127.0.0.1:1' }), /do not combine it with --source/);
  });

  it('parses --flow and --cluster values, refusing malformed ones', () => {
    assert.deepEqual(parseFlowName(' a -> b '), { source: 'a', target: 'b' });
    assert.throws(() => parseFlowName('a->a'), ConfigError);
    assert.throws(() => parseFlowName('a-b'), ConfigError);
    assert.deepEqual(parseClusterFlag('dc-1=h1:9092, h2:9093'), {
      alias: 'dc-1',
      bootstrap: ['h1:9092', 'h2:9093'],
    });
    assert.throws(() => parseClusterFlag('h1:9092'), /expected ALIAS=host:port/);
    assert.throws(() => parseClusterFlag('a=h1'), /expected host:port/);
  });
});
