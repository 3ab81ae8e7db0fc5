import type { RequestHandler } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';

/**
 * Student entry points refuse with `service.notOpen` until setup is complete (the SPA shows
 * its "not open yet" page instead of a flow that would fail later).
 */
export function requireOpen(deps: Pick<AppDeps, 'certificates'>): RequestHandler {
  return async (_req, _res, next) => {
    next((await deps.certificates.setup()).open ? undefined : new DomainError('service.notOpen'));
  };
}
