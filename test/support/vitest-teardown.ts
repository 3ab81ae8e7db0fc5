/** Every integration test file: after its tests, the PostgreSQL server its services used, if any, is stopped. */
import { afterAll } from 'vitest';
import { stopTestPostgres } from './service-database.js';

afterAll(stopTestPostgres);
