import express from 'express';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { pipeline } from '../../service/http/middleware/pipeline.js';

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** An app whose every request goes through `steps` as one handler, then answers with what they left. */
async function serve(...steps: express.RequestHandler[]): Promise<string> {
  const app = express();
  app.use(pipeline(...steps));
  app.get('/', (_req, res) => {
    res.json({ trail: res.locals.trail ?? [] });
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(418).json({ error: err.message, trail: res.locals.trail ?? [] });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
}

const step =
  (name: string): express.RequestHandler =>
  (_req, res, next) => {
    res.locals.trail = [...(res.locals.trail ?? []), name];
    next();
  };

describe('pipeline', () => {
  it('runs its steps in order, then the routes after it', async () => {
    const url = await serve(
      step('a'),
      async (_req, res, next) => {
        await Promise.resolve();
        step('b')(_req, res, next);
      },
      step('c'),
    );
    expect(await (await fetch(url)).json()).toEqual({ trail: ['a', 'b', 'c'] });
  });

  it('sends an error passed to next, thrown, or rejected to the error handlers, and runs no later step', async () => {
    const passed = await serve(step('a'), (_req, _res, next) => next(new Error('passed')), step('never'));
    expect(await (await fetch(passed)).json()).toEqual({ error: 'passed', trail: ['a'] });
    server!.close();
    const thrown = await serve(
      step('a'),
      () => {
        throw new Error('thrown');
      },
      step('never'),
    );
    expect(await (await fetch(thrown)).json()).toEqual({ error: 'thrown', trail: ['a'] });
    server!.close();
    const rejected = await serve(
      step('a'),
      async () => {
        throw new Error('rejected');
      },
      step('never'),
    );
    const res = await fetch(rejected);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: 'rejected', trail: ['a'] });
  });
});
