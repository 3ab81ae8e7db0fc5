import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';

/** /api/graduates: graduate registration, sign-in with password + second password, reset. Skeleton. */
export function graduateRoutes(_deps: AppDeps): Router {
  return express.Router();
}
