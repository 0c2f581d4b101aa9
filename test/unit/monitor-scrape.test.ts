import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
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
