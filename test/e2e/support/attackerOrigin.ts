// A second local origin for the cross-origin e2e checks: a tiny HTTP server on another port of
// 127.0.0.1 (the same *site* as the app to a browser, so cookies would reach the app from it)
// that serves one page of the test's choosing and records every request it receives.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AttackerOrigin {
  readonly origin: string;
  readonly port: number;
  /** Method and path of every request this server has received. */
  readonly received: string[];
  close(): Promise<void>;
}

/** Serves `page()`'s HTML at /attack.html (and a 204 for anything else). */
export async function startAttackerOrigin(page: () => string): Promise<AttackerOrigin> {
  const received: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    received.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    req.resume();
    if (req.url === '/attack.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page());
      return;
    }
    res.writeHead(204, { 'access-control-allow-origin': '*' });
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
