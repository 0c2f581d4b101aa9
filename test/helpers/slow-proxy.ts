import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real HTTP server on loopback that serves the page of `upstream` (the lab's real exporter) after
 * `delayMs`: an exporter as slow as one with thousands of partitions, without needing those partitions.
 */
export async function startSlowProxy(
  upstream: string,
  delayMs: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, res) => {
    void (async () => {
      try {
        const page = await (await fetch(upstream)).text();
        await sleep(delayMs);
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(page);
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
