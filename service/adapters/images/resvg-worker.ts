/**
 * The worker thread of resvg-normalizer.ts: normalises one image and answers with the PNG (its
 * bytes transferred) or the reason it could not be decoded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImageDecodeError, type ImageNormalizer, type NormalizedImage } from '../../domain/institution/ports.js';
import { resvgNormalizeHere } from './resvg-render.js';

export type ResvgJob = Parameters<ImageNormalizer['normalize']>[0];
export type ResvgReply = { image: NormalizedImage } | { decodeError: string } | { error: string };

resvgNormalizeHere.normalize(workerData as ResvgJob).then(
  (image) => parentPort!.postMessage({ image } satisfies ResvgReply, [image.png.buffer as ArrayBuffer]),
  (err: unknown) =>
    parentPort!.postMessage(
      (err instanceof ImageDecodeError ? { decodeError: err.message } : { error: err instanceof Error ? err.message : String(err) }) satisfies ResvgReply,
    ),
);
