/**
 * ImageNormalizer over resvg (resvg-render.ts), each image in a worker thread of its own that ends
 * with it. resvg's WebAssembly memory only grows (the fonts copied in, the pixels) and its compiled
 * code stays: some 55 MB that the service would otherwise keep for good after a seal or logo is
 * uploaded once at setup. A worker's start (a few hundred ms) is nothing beside that for a console
 * action this rare.
 */
import { Worker } from 'node:worker_threads';
import { ImageDecodeError, type ImageNormalizer } from '../../domain/institution/ports.js';
import type { ResvgJob, ResvgReply } from './resvg-worker.js';

function spawn(job: ResvgJob): Worker {
  // Compiled JavaScript in production, TypeScript through tsx in tests.
  const typescript = import.meta.url.endsWith('.ts');
  const file = new URL(typescript ? './resvg-worker.ts' : './resvg-worker.js', import.meta.url);
  return new Worker(file, { workerData: job, execArgv: typescript ? ['--import', 'tsx'] : [], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
}

export const resvgNormalizer: ImageNormalizer = {
  normalize(job) {
    return new Promise((resolve, reject) => {
      const worker = spawn(job);
      let answered = false;
      worker.once('message', (reply: ResvgReply) => {
        answered = true;
        if ('image' in reply) resolve(reply.image);
        else if ('decodeError' in reply) reject(new ImageDecodeError(reply.decodeError));
        else reject(new Error(`Image normalisation failed: ${reply.error}`));
        void worker.terminate();
      });
      worker.once('error', (err) => {
        answered = true;
        reject(err);
      });
      worker.once('exit', (code) => {
        if (!answered) reject(new Error(`Image normalisation stopped (exit code ${code})`));
      });
    });
  },
};
