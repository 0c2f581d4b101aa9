import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TopicRow } from '../../source/cli/commands/topics.js';
import { resolveConnection } from '../../source/config/connection.js';
import { Poller } from '../../source/monitor/poller.js';
import { sharedLab } from '../helpers/lab.js';
import { kcat, mirrorwatch } from '../helpers/run.js';

/** A DC/OS-style framework API on a real local port: GET /v1/connection answers what `answer` says now. */
class ConnectionInfoServer {
  answer: { status: number; body: string } = { status: 200, body: '{}' };
  private readonly server: Server = createServer((request, response) => {
    if (request.url === '/hang/v1/connection') return; // never answers
    if (!request.url?.endsWith('/v1/connection')) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(this.answer.status, { 'content-type': 'application/json' }).end(this.answer.body);
  });

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path = '/service/kafka0/v1/connection'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  serveBrokers(brokers: string[]): void {
    this.answer = {
      status: 200,
      body: JSON.stringify({ brokers, zookeeper: 'master.mesos:2181/kafka0' }),
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('--source/--target as a connection-info URL (DC/OS /v1/connection)', () => {
  const info = new ConnectionInfoServer();
  before(() => info.listen());
  after(() => info.close());

  it('reads the broker list from the URL: topics agree with kcat on the real source', async () => {
    const lab = await sharedLab();
    info.serveBrokers(lab.source.bootstrap.split(','));
    const result = await mirrorwatch([
      'topics',
      '--json',
      '--cluster',
      'source',
      '--source',
      info.url(),
      '--target',
      lab.target.bootstrap,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as TopicRow[];
    const listed = await kcat(['-L', '-b', lab.source.bootstrap, '-m', '10']);
    const expected = [...listed.stdout.matchAll(/topic "([^"]+)" with/g)].map((m) => m[1]).sort();
    assert.deepEqual(rows.map((r) => r.topic).sort(), expected);

    const status = await mirrorwatch(['status', '--json', '--source', info.url(), '--target', info.url()]);
    const doc = JSON.parse(status.stdout) as {
      clusters: { target: { bootstrap: string[]; reachable: boolean } };
    };
    assert.deepEqual(doc.clusters.target.bootstrap, lab.source.bootstrap.split(','));
    assert.equal(doc.clusters.target.reachable, true);
  });

  for (const [what, setup, path, expected] of [
    ['an HTTP error', () => ({ status: 503, body: 'down' }), undefined, /HTTP 503/],
    ['not JSON', () => ({ status: 200, body: '<html>login</html>' }), undefined, /not JSON/],
    [
      'JSON without brokers',
      () => ({ status: 200, body: '{"zookeeper":"zk:2181"}' }),
      undefined,
      /no "brokers" list/,
    ],
    [
      'an empty broker list',
      () => ({ status: 200, body: '{"brokers":[]}' }),
      undefined,
      /"brokers" list is empty/,
    ],
    [
      'a broker that is not host:port',
      () => ({ status: 200, body: '{"brokers":["10.0.0.1"]}' }),
      undefined,
      /expected host:port/,
    ],
    ['a 404 (wrong path)', () => info.answer, '/v1/other', /HTTP 404/],
    ['no answer in time', () => info.answer, '/hang/v1/connection', /no answer within 10 s/],
  ] as const) {
    it(`${what}: one clear line and a non-zero exit`, async () => {
      info.answer = setup();
      const result = await mirrorwatch(['status', '--source', info.url(path), '--target', '127.0.0.1:1'], {
        timeoutMs: 60_000,
      });
      assert.notEqual(result.code, 0);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, /^mirrorwatch: source connection info http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(lines[0]!, expected);
    });
  }

  it('a URL nothing listens on: one clear line', async () => {
    const port = await closedPort();
    const result = await mirrorwatch([
      'status',
      '--source',
      '127.0.0.1:1',
      '--target',
      `https://user:secret@127.0.0.1:${port}/v1/connection`,
    ]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^mirrorwatch: target connection info https:\/\/\*\*\*@127\.0\.0\.1:\d+\/v1\/connection: cannot connect \(ECONNREFUSED\)\n$/,
    );
    assert.doesNotMatch(result.stderr, /secret/);
  });

  it('reads the list again when the cluster stops answering, keeping what it had', async () => {
    const lab = await sharedLab();
    const dead = `127.0.0.1:${await closedPort()}`;
    info.serveBrokers([dead]);
    const connection = resolveConnection({
      source: dead,
      target: lab.target.bootstrap,
      sourceConnectionUrl: info.url(),
    });
    const poller = new Poller({ connection, sources: ['source', 'target'], readTimeoutMs: 8000 });
    try {
      const first = await poller.refresh();
      assert.equal(first.health.source.ok, false, 'the first broker list points nowhere');
      assert.equal(first.health.target.ok, true);
      // The framework moved the brokers: the next refresh reads the URL again and reaches them.
      info.serveBrokers(lab.source.bootstrap.split(','));
      const second = await poller.refresh();
      assert.equal(second.health.source.ok, true, second.health.source.lastError ?? '');
      assert.deepEqual(second.source.bootstrap, lab.source.bootstrap.split(','));
      assert.ok(second.source.topics.some((t) => t.name === 'topic1'));
      assert.ok(second.seq > first.seq);
      assert.equal(second.health.target.lastSuccessMs !== null, true, 'the target kept its state');
    } finally {
      await poller.stop();
    }
  });
});
