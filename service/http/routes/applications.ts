import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';

/** /api/applications: the student's 利用申請 (additional student ID). Skeleton. */
export function applicationRoutes(_deps: AppDeps): Router {
  return express.Router();
}
