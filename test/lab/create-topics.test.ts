/**
 * Missing topics the target refuses, against the lab's real clusters. The lab's source is Kafka 3.9 and
 * its target 4.3, which takes no segment.bytes under 1 MB and no longer knows message.format.version
 * (a 3.x topic may still carry it from an upgrade): MM2 copies a topic's configs when it creates the
 * remote topic, so such topics stay missing. `verify` says why, and `T` says so before it creates
 * anything, in the broker's words, as Kafka's own kafka-topics tool says it; `T` copies fewer configs
 * than MM2, and creates the topic that only lacks message.format.version. MM2 also copies dynamic broker
 * configs: one the target refuses keeps every new topic missing, and mirrorwatch says where it comes from.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTopics, validatedOnTarget, withSourceConfigs } from '../../source/actions/create-topics.js';
import type { PlannedTopic } from '../../source/actions/types.js';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { ConnectRestClient } from '../../source/mm2/connect-rest.js';
import { readConfigDrift } from '../../source/monitor/read-topic-configs.js';
import type { MirrorTopic } from '../../source/monitor/snapshot.js';
import { eventually, SHARED_LAB_DIR, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kafkaTool, kcat, mirrorwatch } from '../helpers/run.js';
import { ConsoleSession } from '../helpers/tmux.js';

/** kcat's partition count of a topic; undefined when the cluster has no such topic. */
async function kcatPartitions(brokers: string, topic: string): Promise<number | undefined> {
  const result = await kcat(['-L', '-b', brokers, '-t', topic, '-m', '10']);
  const match = /topic "[^"]+" with (\d+) partitions/.exec(result.stdout);
  return match && Number(match[1]) > 0 ? Number(match[1]) : undefined;
}

describe('missing topics the target refuses', () => {
  const refused = uniqueValue('create-small-segments');
  const accepted = uniqueValue('create-day-retention');
  const legacy = uniqueValue('create-legacy-format');
  let lab: LabStatus;
  const kafka = (role: 'source' | 'target') =>
    createKafka({ name: role, brokers: [lab[role].bootstrap] }, 'create-topics-test');

  before(async () => {
    lab = await sharedLab();
    const admin = kafka('source').admin();
    await admin.connect();
    await admin
      .createTopics({
        waitForLeaders: true,
        topics: [
          { topic: refused, numPartitions: 2, configEntries: [{ name: 'segment.bytes', value: '100' }] },
          { topic: accepted, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '86400000' }] },
          {
            topic: legacy,
            numPartitions: 2,
            configEntries: [
              { name: 'message.format.version', value: '2.8' },
              { name: 'retention.ms', value: '86400000' },
            ],
          },
        ],
      })
      .finally(() => admin.disconnect());
  });

  // A topic MM2 can never create stays missing: later tests of the shared lab expect a healthy mirror.
  after(async () => {
    const admin = kafka('source').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [refused, legacy] }).finally(() => admin.disconnect());
  });

  it('MM2 mirrors the topic the target takes and leaves the others missing', async () => {
    await eventually(
      'MM2 creates the accepted topic',
      async () => (await kcatPartitions(lab.target.bootstrap, accepted)) === 2,
      60_000,
    );
    // Two more of MM2's topic refreshes (5 s in the lab): it has tried the other one by now.
    await sleep(10_000);
    assert.equal(await kcatPartitions(lab.target.bootstrap, refused), undefined);
    assert.equal(await kcatPartitions(lab.target.bootstrap, legacy), undefined);
  });

  it('the console names each refusal in the Topics pane, the T dialog and Events', async () => {
    const session = await ConsoleSession.start('refused-topics', ['--lab', SHARED_LAB_DIR], {
      width: 220,
      height: 50,
    });
    try {
      // Topic names here are letters, digits and dashes: literal in a pattern.
      await session.waitFor([
        new RegExp(`✗ missing +${refused} ✗ refused by the target`),
        new RegExp(`✗ missing +${legacy} ✗ refused by the target`),
        /\d+ ✗ missing \(\d+ refused by the target\)/,
      ]);
      // T: the dialog says which topic the target refuses with T's configs, and which only MM2 cannot create.
      await session.key('T');
      await session.waitFor([
        /✗ refused: Invalid value 100 for configuration segment\.bytes: Value must be at least 1048576/,
        /! MM2 cannot create it \(see Events\), these configs can; configs: retention\.ms=86400000/,
      ]);
      await session.key('Escape');
      await session.key('5');
      await session.waitFor(
        new RegExp(
          `topic ${legacy} is missing: the target refuses to create it: Unknown topic config name: message\\.format\\.version`,
        ),
      );
    } finally {
      await session.stop();
    }
  });

  it('verify and status name the reason of each missing topic, from the configs MM2 copies', async () => {
    const result = await mirrorwatch(['verify', '--json', '--lab', SHARED_LAB_DIR], { timeoutMs: 120_000 });
    assert.equal(result.code, 1, result.stderr);
    const checks = JSON.parse(result.stdout).checks as Array<{
      subject: string;
      reason: string;
      detail: string;
    }>;
    const detail = (topic: string) => checks.find((c) => c.subject === `topic ${topic} -> ${topic}`)?.detail;
    assert.match(
      detail(refused) ?? '',
      /^missing on the target; the target refuses to create it: Invalid value 100 for configuration segment\.bytes: Value must be at least 1048576$/,
    );
    assert.equal(
      detail(legacy),
      'missing on the target; the target refuses to create it: Unknown topic config name: message.format.version',
    );
    const status = await mirrorwatch(['status', '--json', '--lab', SHARED_LAB_DIR], { timeoutMs: 120_000 });
    assert.equal(status.code, 1, status.stderr);
    const missing = (JSON.parse(status.stdout).problems as string[]).find((p) =>
      p.includes('missing on the target'),
    );
    assert.ok(
      missing?.includes(
        `${legacy} (the target refuses it: Unknown topic config name: message.format.version)`,
      ),
      missing,
    );
  });

  it("the plan names the refusal in the broker's words, kafka-topics' words, and creates nothing", async () => {
    const missing = (topic: string): PlannedTopic => ({
      source: topic,
      target: topic,
      partitions: 2,
      replicationFactor: 1,
      configs: {},
    });
    // A topic deleted from the source since the snapshot leaves the plan.
    const fromSource = await withSourceConfigs(kafka('source'), [
      missing(refused),
      missing(`${refused}-gone`),
    ]);
    assert.deepEqual(fromSource, [{ ...missing(refused), configs: { 'segment.bytes': '100' } }]);
    const plan = await validatedOnTarget(kafka('target'), [
      ...fromSource,
      { ...missing(`${accepted}-copy`), configs: { 'retention.ms': '86400000' } },
    ]);
    assert.match(plan[0]?.refused ?? '', /segment\.bytes/);
    assert.equal(plan[1]?.refused, undefined);
    // Kafka's own tool, asked to create the same topic on the target, says the same.
    const tool = await kafkaTool(lab.kafkaLibDir, 'org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      lab.target.bootstrap,
      '--create',
      '--topic',
      refused,
      '--config',
      'segment.bytes=100',
    ]);
    assert.notEqual(tool.code, 0);
    assert.ok(
      `${tool.stdout}${tool.stderr}`.includes(plan[0]?.refused ?? '-'),
      `kafka-topics: ${tool.stdout}${tool.stderr}\nmirrorwatch: ${plan[0]?.refused}`,
    );
    // Validation created nothing.
    assert.equal(await kcatPartitions(lab.target.bootstrap, `${accepted}-copy`), undefined);

    const outcomes = await createTopics(kafka('target'), plan);
    assert.equal(outcomes[0]?.ok, false);
    assert.equal(outcomes[0]?.message, `could not create topic ${refused}: ${plan[0]?.refused}`);
    assert.equal(outcomes[1]?.ok, true, outcomes[1]?.message);
    assert.equal(await kcatPartitions(lab.target.bootstrap, refused), undefined);
    assert.equal(await kcatPartitions(lab.target.bootstrap, `${accepted}-copy`), 2);
  });

  it('T creates the topic that only carries message.format.version: it copies the configs that matter', async () => {
    const [planned] = await validatedOnTarget(
      kafka('target'),
      await withSourceConfigs(kafka('source'), [
        { source: legacy, target: legacy, partitions: 2, replicationFactor: 1, configs: {} },
      ]),
    );
    assert.deepEqual(planned, {
      source: legacy,
      target: legacy,
      partitions: 2,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000' },
    });
    const [outcome] = await createTopics(kafka('target'), [planned!]);
    assert.equal(outcome?.ok, true, outcome?.message);
    assert.equal(await kcatPartitions(lab.target.bootstrap, legacy), 2);
    // The runbook's config comparison: message.format.version cannot be synced to a target that does not
    // know it, so it is no drift; a config the target knows still is.
    const source = kafka('source').admin();
    const target = kafka('target').admin();
    await Promise.all([source.connect(), target.connect()]);
    try {
      const present: MirrorTopic = { source: legacy, target: legacy, state: 'in-sync' } as MirrorTopic;
      assert.deepEqual(await readConfigDrift(source, target, [present]), []);
      await target.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: legacy, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
      });
      // A topic deleted since the snapshot (on both sides here) is left out, not a failed comparison.
      const gone = { source: `${legacy}-gone`, target: `${legacy}-gone`, state: 'in-sync' } as MirrorTopic;
      assert.deepEqual(await readConfigDrift(source, target, [present, gone]), [
        { topic: legacy, config: 'retention.ms', source: '86400000', target: '3600000' },
      ]);
    } finally {
      await Promise.all([source.disconnect(), target.disconnect()]);
    }
  });

  it('a dynamic broker config of the source that the target refuses: named, with where it comes from', async () => {
    // Set on the 3.9 source for every topic through kafka-configs, as an upgraded cluster may have it. 4.x
    // knows no message.downconversion.enable: MM2, which copies dynamic broker configs, creates no new topic.
    const probe = uniqueValue('create-dynamic-default');
    const configs = (args: string[]) =>
      kafkaTool(lab.kafkaLibDir, 'kafka.admin.ConfigCommand', [
        '--bootstrap-server',
        lab.source.bootstrap,
        ...args,
      ]);
    const defaults = ['--entity-type', 'brokers', '--entity-default', '--alter'];
    const set = await configs([...defaults, '--add-config', 'log.message.downconversion.enable=false']);
    assert.equal(set.code, 0, set.stderr);
    const admin = kafka('source').admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: probe, numPartitions: 1 }] });
      // Kafka's own tool shows nothing set on the topic: without the origin, the reason is a riddle.
      const described = await configs(['--entity-type', 'topics', '--entity-name', probe, '--describe']);
      assert.equal(described.code, 0, described.stderr);
      assert.doesNotMatch(described.stdout, /downconversion/);
      await eventually(
        'status names the refusal and its origin',
        async () => {
          const status = await mirrorwatch(['status', '--json', '--lab', SHARED_LAB_DIR], {
            timeoutMs: 120_000,
          });
          return (JSON.parse(status.stdout).problems as string[]).some((p) =>
            p.includes(
              `${probe} (the target refuses it: Unknown topic config name: message.downconversion.enable; on the ` +
                'source, message.downconversion.enable is a dynamic broker config (not set on the topic), which MM2 ' +
                'copies unless config.properties.exclude names it)',
            ),
          );
        },
        60_000,
        2000,
      );
      assert.equal(await kcatPartitions(lab.target.bootstrap, probe), undefined, 'MM2 could not create it');
      // T copies what is set on the topic only, so it can create the topic, and MM2 then mirrors into it.
      const [planned] = await validatedOnTarget(
        kafka('target'),
        await withSourceConfigs(kafka('source'), [
          { source: probe, target: probe, partitions: 1, replicationFactor: 1, configs: {} },
        ]),
      );
      assert.equal(planned?.refused, undefined);
      const [outcome] = await createTopics(kafka('target'), [planned!]);
      assert.equal(outcome?.ok, true, outcome?.message);
      assert.equal(await kcatPartitions(lab.target.bootstrap, probe), 1);
    } finally {
      const unset = await configs([...defaults, '--delete-config', 'log.message.downconversion.enable']);
      assert.equal(unset.code, 0, unset.stderr);
      await admin.deleteTopics({ topics: [probe] }).finally(() => admin.disconnect());
      const target = kafka('target').admin();
      await target.connect();
      await target
        .deleteTopics({ topics: [probe] })
        .catch(() => undefined)
        .finally(() => target.disconnect());
    }
  });

  it("MM2's replication.factor above the target's brokers: named as MM2's, in the words MM2 logs", async () => {
    // MM2's default replication.factor is 2; the lab sets 1 for its one-broker target. Set back to 2, as a
    // staging target of one broker would have it, MM2 creates no topic.
    const connect = new ConnectRestClient(lab.connect.url!);
    const name = 'old->new.MirrorSourceConnector';
    const config = (await connect.configs()).find((c) => c.name === name);
    assert.ok(config, `no ${name} among the lab's connectors`);
    const probe = uniqueValue('create-mm2-rf');
    const admin = kafka('source').admin();
    await admin.connect();
    await connect.putConfig(name, { ...config, 'replication.factor': '2' });
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: probe, numPartitions: 1 }] });
      let named = '';
      await eventually(
        "status names the refusal as MM2's replication factor",
        async () => {
          const status = await mirrorwatch(['status', '--json', '--lab', SHARED_LAB_DIR], {
            timeoutMs: 120_000,
          });
          named =
            (JSON.parse(status.stdout).problems as string[]).find((p) =>
              p.includes(`${probe} (the target refuses it:`),
            ) ?? '';
          return named.includes('MM2 creates remote topics with its replication.factor, 2)');
        },
        60_000,
        2000,
      );
      // MM2's Connect log gives the same reason, in the same words.
      const reason = /the target refuses it: (.*); MM2 creates/.exec(named)?.[1] ?? '-';
      assert.match(reason, /replication factor of 2/);
      await eventually(
        "MM2's log says it",
        async () =>
          readFileSync(lab.logs.mirror!, 'utf8').includes(`InvalidReplicationFactorException: ${reason}`),
        30_000,
      );
      assert.equal(await kcatPartitions(lab.target.bootstrap, probe), undefined);
    } finally {
      await connect.putConfig(name, config);
      await admin.deleteTopics({ topics: [probe] }).finally(() => admin.disconnect());
      await eventually(
        'the mirror runs again as before',
        async () => {
          const status = await connect.status(name);
          return status.connector.state === 'RUNNING' && status.tasks.every((t) => t.state === 'RUNNING');
        },
        60_000,
      );
    }
  });
});
