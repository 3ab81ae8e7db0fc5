import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';

/** /api/admin/registry: CSV import with preview, registry search (mounted behind staff sign-in). Skeleton. */
export function adminRegistryRoutes(_deps: AppDeps): Router {
  return express.Router();
}
