import { open } from 'node:fs/promises';
import path from 'node:path';
import { createStaffAccounts, type StaffAccounts, type StaffActor } from '../domain/staff/accounts.js';
import type { StaffRole } from '../domain/staff/model.js';
import { logInStaff } from '../domain/staff/login.js';
import type { StaffUser } from '../domain/staff/model.js';
import { createStaffSessionService, type LiveStaffSession, type StaffSessionService } from '../domain/staff/sessions.js';
import type { UnitOfWork } from '../domain/stores.js';
import type { FeatureContext } from './context.js';

/** Staff accounts, staff sessions (the console's own sign-in) and whether demo mode is on. */
export interface StaffService {
  accounts: StaffAccounts;
  sessions: StaffSessionService;
  /** A console login: password checked, then login time, audit entry and new session in one transaction (`staff.login*` errors). */
  login(username: string, password: string, old: LiveStaffSession | null): Promise<{ user: StaffUser; session: LiveStaffSession }>;
  demo: boolean;
  /** Demo mode: the demo staff users and their credentials file (for the start-up hints); null otherwise. */
  demoStaff: DemoStaff | null;
}

export interface DemoStaff {
  /** DATA_DIR/demo-staff-credentials.txt: the first password of each demo user. */
  file: string;
  /** The demo users that exist. */
  users: Array<{ username: string; role: StaffRole }>;
  /** Users created by this start, with their password (shown once). */
  created: Array<{ username: string; role: StaffRole; password: string }>;
}

export const DEMO_CREDENTIALS_FILE = 'demo-staff-credentials.txt';

/** The staff users demo mode creates. */
export const DEMO_STAFF_USERS: ReadonlyArray<{ username: string; displayName: string; role: StaffRole }> = [
  { username: 'admin', displayName: 'Demo Administrator', role: 'administrator' },
  { username: 'reviewer', displayName: 'Demo Reviewer', role: 'reviewer' },
];

const SEED_ACTOR: StaffActor = { type: 'system', id: 'demo-seed', name: 'demo seed' };

export async function createStaffFeature(ctx: FeatureContext): Promise<StaffService> {
  const accounts = createStaffAccounts({
    store: ctx.stores.staff,
    audit: ctx.audit,
    clock: ctx.clock,
    random: ctx.random,
    throttles: ctx.stores.loginThrottles,
  });
  const sessions = createStaffSessionService({ store: ctx.stores.staffSessions, clock: ctx.clock, random: ctx.random });
  const demoStaff = ctx.config.demo ? await seedDemoStaff(ctx, accounts) : null;
  const transaction: UnitOfWork['transaction'] = (work) => ctx.stores.transaction(work);
  return {
    accounts,
    sessions,
    login: (username, password, old) => logInStaff({ accounts, sessions, transaction, clock: ctx.clock }, username, password, old),
    demo: ctx.config.demo,
    demoStaff,
  };
}

/**
 * Demo mode: an administrator `admin` and a reviewer `reviewer`, created once with random
 * passwords, which go to DATA_DIR/demo-staff-credentials.txt (mode 0600) and the log.
 */
async function seedDemoStaff(ctx: FeatureContext, accounts: StaffAccounts): Promise<DemoStaff> {
  const file = path.join(ctx.config.dataDir, DEMO_CREDENTIALS_FILE);
  const existing = new Set((await accounts.list()).map((u) => u.username));
  const created: DemoStaff['created'] = [];
  for (const seed of DEMO_STAFF_USERS) {
    if (existing.has(seed.username)) continue;
    const password = accounts.generatePassword();
    await accounts.create({ ...seed, password }, SEED_ACTOR);
    created.push({ username: seed.username, role: seed.role, password });
  }
  const users = DEMO_STAFF_USERS.map(({ username, role }) => ({ username, role }));
  if (created.length === 0) {
    ctx.logger.info({ file }, 'demo staff console users exist; their first passwords are in the credentials file');
    return { file, users, created };
  }
  const lines = [
    '# Shomei demo mode: staff console users (log in at /admin/login).',
    '# Created once; change them with `npm run admin -- reset-password --username NAME`.',
    ...created.map((c) => `${c.username}\t${c.role}\t${c.password}`),
    '',
  ];
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(lines.join('\n'), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  for (const c of created) {
    ctx.logger.warn({ username: c.username, role: c.role, password: c.password, file }, 'demo staff console user created');
  }
  return { file, users, created };
}
