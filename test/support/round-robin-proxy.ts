import http from 'node:http';
import { freePort } from './ports.js';

export type Instance = 'a' | 'b';

export interface RoundRobinProxy {
  /** The public address (PUBLIC_URL of every instance behind it). */
  readonly url: string;
  /** Which instance answers a request; default: A and B in turn. */
  route: (method: string, path: string) => Instance | null;
  /** Which instance answered each request, in order. */
  readonly served: { instance: Instance; method: string; path: string }[];
  setBackend(instance: Instance, port: number): void;
  close(): Promise<void>;
}

/**
 * A reverse proxy in front of two instances, as a campus would put nginx in front of them: it
 * forwards each request to one instance, setting X-Forwarded-For to the client (the test names
 * a client with an `x-test-client` header; the services run with TRUST_PROXY=1).
 */
export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  const port = await freePort();
  const backends: Partial<Record<Instance, number>> = {};
  let turn = 0;
  const alternate = (): Instance => (turn++ % 2 === 0 ? 'a' : 'b');
  const proxy: RoundRobinProxy = {
    url: `http://127.0.0.1:${port}`,
    route: () => null,
    served: [],
    setBackend(instance, backendPort) {
      backends[instance] = backendPort;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const instance = proxy.route(req.method ?? 'GET', path.split('?')[0]!) ?? alternate();
    const backend = backends[instance];
    if (!backend) {
      res.writeHead(502).end(`instance ${instance} is not running`);
      return;
    }
    proxy.served.push({ instance, method: req.method ?? 'GET', path });
    const headers: http.OutgoingHttpHeaders = {
      ...req.headers,
      'x-forwarded-for': String(req.headers['x-test-client'] ?? req.socket.remoteAddress ?? '127.0.0.1'),
    };
    delete headers['x-test-client'];
    // A connection per request: a reused idle one the instance has just closed would fail the request.
    const upstream = http.request({ host: '127.0.0.1', port: backend, method: req.method, path, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return proxy;
}
