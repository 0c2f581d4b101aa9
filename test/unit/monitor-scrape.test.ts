import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { resolveConnection } from '../../source/config/connection.js';
import { MetricsEndpointError, scrapeMetrics } from '../../source/monitor/read-endpoints.js';

/** A real HTTP server on loopback whose handler decides how (and whether) to answer. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/metrics`, server };
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function scrapeError(url: string, timeoutMs: number): Promise<MetricsEndpointError> {
  const error = await scrapeMetrics(url, timeoutMs).then(
    () => assert.fail('the scrape should fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MetricsEndpointError, String(error));
  return error;
}

describe('scrapeMetrics against endpoints that do not finish in time', () => {
  it('a server that accepts the connection and stays silent timed out; it is not unreachable', async () => {
    const { url, server } = await serve(() => undefined);
    servers.push(server);
    const error = await scrapeError(url, 300);
    assert.equal(error.timedOut, true);
    assert.match(error.message, /accepted the connection but sent no answer within 300 ms/);
    assert.doesNotMatch(error.message, /unreachable/);
  });

  it('a page that stops halfway timed out with what was read', async () => {
    const { url, server } = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.write(`${'# HELP x y\n'.repeat(100_000)}`);
    });
    servers.push(server);
    const error = await scrapeError(url, 500);
    assert.equal(error.timedOut, true);
    assert.match(error.message, /answered, but its page was not complete within 500 ms \(1\.1 MB read/);
  });

  it('nothing listening is unreachable, and no timeout', async () => {
    const { url, server } = await serve(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await scrapeError(url, 300);
    assert.equal(error.timedOut, false);
    assert.match(error.message, /unreachable: ECONNREFUSED/);
  });
});

describe('credentials in the metrics and Connect URLs', () => {
  it('leave the URL that is shown, travel as Basic auth, and join the secrets', () => {
    const c = resolveConnection(
      {
        source: 'old:9092',
        target: 'new:9092',
        metricsUrl: 'http://ops:p%40ss@mm2:9404/metrics',
        connectUrl: 'https://admin:s3cret@connect:8083/',
      },
      undefined,
      {},
    );
    assert.equal(c.metricsUrl, 'http://mm2:9404/metrics');
    assert.equal(c.connectUrl, 'https://connect:8083');
    assert.equal(c.metricsAuthorization, `Basic ${Buffer.from('ops:p@ss').toString('base64')}`);
    assert.equal(c.connectAuthorization, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
    for (const secret of ['p@ss', 'p%40ss', 's3cret']) assert.ok(c.secrets.includes(secret), secret);
  });

  it('a bad URL with a password names it without the password', () => {
    assert.throws(
      () => resolveConnection({ source: 'a:1', target: 'b:2', metricsUrl: 'ftp://ops:hunter2@mm2/metrics' }),
      (error: Error) =>
        /bad metrics URL 'ftp:\/\/ops:\*\*\*@mm2\/metrics'/.test(error.message) &&
        !error.message.includes('hunter2'),
    );
  });

  it('an exporter behind Basic auth: read with the header, and a 401 without it says what it wants', async () => {
    const page =
      '# TYPE kafka_connect_mirror_mirrorsourceconnector_record_count gauge\n' +
      'kafka_connect_mirror_mirrorsourceconnector_record_count{source="a",target="b",topic="t",partition="0"} 42\n';
    const expected = `Basic ${Buffer.from('ops:pw').toString('base64')}`;
    const { url, server } = await serve((request, res) => {
      if (request.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="metrics"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(page);
    });
    servers.push(server);
    const metrics = await scrapeMetrics(url, 2000, false, expected);
    assert.equal(metrics.totalRecordCount, 42);
    const refused = await scrapeError(url, 2000);
    assert.match(refused.message, /answered HTTP 401 \(it wants a user and password/);
    const wrong = await scrapeMetrics(url, 2000, false, 'Basic bm86cGU=').catch((e: Error) => e);
    assert.match(
      String((wrong as Error).message),
      /HTTP 401 \(the user and password in the URL were refused\)/,
    );
  });
});
