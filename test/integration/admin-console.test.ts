import { mkdirSync, renameSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationForm } from '../../service/domain/applications/model.js';
import { account, TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { ApiClient, readDemoStaffCredentials, runStaffCli } from '../support/staff.js';

/** Makes the audit log's next write fail (and returns what undoes it): a directory where its file was, or its table renamed. */
async function breakAuditLog(service: RunningService): Promise<() => Promise<void>> {
  if (service.databaseUrl) {
    const db = new pg.Client({ connectionString: service.databaseUrl });
    await db.connect();
    await db.query('ALTER TABLE audit_log RENAME TO audit_log_aside');
    return async () => {
      await db.query('ALTER TABLE audit_log_aside RENAME TO audit_log');
      await db.end();
    };
  }
  const log = path.join(service.dataDir, 'audit-log.json');
  renameSync(log, `${log}.aside`);
  mkdirSync(log);
  return async () => {
    rmdirSync(log);
    renameSync(`${log}.aside`, log);
  };
}

describe('staff console API', () => {
  let service: RunningService;
  let demo: Record<string, { role: string; password: string }>;

  beforeAll(async () => {
    service = await startService();
    demo = readDemoStaffCredentials(service.dataDir);
  });
  afterAll(() => service?.stop());

  const client = () => new ApiClient(service.url);
  const admin = async () => {
    const c = client();
    expect((await c.staffLogin('admin', demo.admin!.password)).status).toBe(200);
    return c;
  };
  const reviewer = async () => {
    const c = client();
    expect((await c.staffLogin('reviewer', demo.reviewer!.password)).status).toBe(200);
    return c;
  };

  let serial = 0;
  /** A pending application for an additional student ID, from a fresh account, matching the demo registry. */
  async function pendingApplication(changes: Partial<ApplicationForm> = {}) {
    serial += 1;
    const owner = account({ mail: `student${serial}@example.ac.jp`, studentIds: [`99${String(serial).padStart(5, '0')}`] });
    await service.stores.store.accounts.insert(owner);
    const form: ApplicationForm = {
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'Taro Yamada',
      universityCode: 'DEMO',
      facultyCode: 'ENG',
      departmentCode: 'INF',
      studentId: '2101001',
      graduationYearMonth: '2027-03',
      leaveType: 'graduated',
      ...changes,
    };
    return service.deps.applications.submit({ kind: 'studentId', accountId: owner.id, form, mail: owner.mail!, language: 'ja' });
  }

  describe('demo mode', () => {
    it('seeds an administrator and a reviewer once, with passwords in a file only the owner can read', async () => {
      expect(demo.admin?.role).toBe('administrator');
      expect(demo.reviewer?.role).toBe('reviewer');
      expect(demo.admin!.password.length).toBeGreaterThanOrEqual(24);
      expect(statSync(path.join(service.dataDir, 'demo-staff-credentials.txt')).mode & 0o777).toBe(0o600);
      const session = await client().get('/api/admin/session');
      expect(session.body).toMatchObject({ staff: null, demo: true, idleTimeoutSeconds: 1800 });
    });
  });

  describe('login', () => {
    it('sets its own HttpOnly, SameSite=Strict cookie, regenerated at login and ended by logout on the server', async () => {
      const c = client();
      const anonymous = await c.get('/api/admin/session');
      const cookie = anonymous.setCookies.find((s) => s.startsWith('shomei_staff='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const before = c.cookies.get('shomei_staff');
      c.csrfToken = anonymous.body.csrfToken;
      const login = await c.post('/api/admin/login', { username: 'admin', password: demo.admin!.password });
      expect(login.status).toBe(200);
      expect(login.body.staff).toMatchObject({ username: 'admin', role: 'administrator' });
      expect(login.body.csrfToken).not.toBe(anonymous.body.csrfToken);
      const after = c.cookies.get('shomei_staff')!;
      expect(after).not.toBe(before);
      c.csrfToken = login.body.csrfToken;
      expect((await c.get('/api/admin/applications')).status).toBe(200);

      expect((await c.post('/api/admin/logout')).status).toBe(200);
      // The old cookie, replayed, no longer works: the session ended on the server.
      const replay = client();
      replay.cookies.set('shomei_staff', after);
      expect((await replay.get('/api/admin/applications')).body.error.code).toBe('auth.required');
    });

    it('switches nothing when the login cannot be recorded in the audit log', async () => {
      const c = client();
      const before = await c.get('/api/admin/session');
      c.csrfToken = before.body.csrfToken;
      const cookieBefore = c.cookies.get('shomei_staff');
      const restore = await breakAuditLog(service);
      try {
        const login = await c.post('/api/admin/login', { username: 'admin', password: demo.admin!.password });
        expect(login.status).toBe(500);
        expect(login.body.error.code).toBe('internal');
        expect(login.setCookies.filter((sc) => sc.startsWith('shomei_staff='))).toEqual([]);
      } finally {
        await restore();
      }
      // The browser is where it was: not signed in, same session, same token; a retry works.
      expect(c.cookies.get('shomei_staff')).toBe(cookieBefore);
      const after = await c.get('/api/admin/session');
      expect(after.body).toMatchObject({ staff: null, csrfToken: before.body.csrfToken });
      expect((await c.get('/api/admin/applications')).body.error.code).toBe('auth.required');
      expect((await c.post('/api/admin/login', { username: 'admin', password: demo.admin!.password })).status).toBe(200);
    });

    it('gives the same answer for an unknown user and a wrong password', async () => {
      const unknown = await client().staffLogin('nobody-here', 'some password 123');
      const wrong = await client().staffLogin('reviewer', 'some password 123');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body.error.code).toBe('staff.loginFailed');
    });

    it('refuses bad input with field codes, not a server error', async () => {
      const c = client();
      c.csrfToken = (await c.get('/api/admin/session')).body.csrfToken;
      const answer = await c.post('/api/admin/login', { username: '', password: 5 });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'validation.failed', fields: { username: 'required', password: 'required' } });
    });
  });

  describe('the CLI beside the running service', () => {
    it('creates a user who can log in at once; disabling ends their session; a reset lets them in again', async () => {
      const created = await runStaffCli(['create-user', '--username', 'Clerk', '--role', 'reviewer', '--display-name', '事務 太郎', '--password-stdin'], {
        dataDir: service.dataDir,
        databaseUrl: service.databaseUrl,
        stdin: 'a clerk password 2026\n',
      });
      expect(created).toMatchObject({ code: 0 });
      expect(created.stdout).toContain('"clerk"');
      const c = client();
      const login = await c.staffLogin('clerk', 'a clerk password 2026');
      expect(login.status).toBe(200);
      expect(login.body.staff).toMatchObject({ username: 'clerk', displayName: '事務 太郎', role: 'reviewer' });

      expect((await runStaffCli(['disable-user', '--username', 'clerk'], { dataDir: service.dataDir, databaseUrl: service.databaseUrl })).code).toBe(0);
      expect((await c.get('/api/admin/applications')).body.error.code).toBe('auth.required');
      expect((await client().staffLogin('clerk', 'a clerk password 2026')).body.error.code).toBe('staff.loginFailed');

      const reset = await runStaffCli(['reset-password', '--username', 'clerk'], { dataDir: service.dataDir, databaseUrl: service.databaseUrl });
      expect(reset.code).toBe(0);
      const password = /Password \(shown only now[^)]*\): (\S+)/.exec(reset.stdout)?.[1];
      expect(password).toBeTruthy();
      expect((await client().staffLogin('clerk', password!)).status).toBe(200);

      const audit = await (await admin()).get('/api/admin/audit?actor=admin%20CLI');
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['staff.user.created', 'staff.user.disabled', 'staff.user.passwordReset']),
      );
    });

    it('refuses a password shorter than 12 characters', async () => {
      const answer = await runStaffCli(['create-user', '--username', 'shorty', '--role', 'reviewer', '--password-stdin'], {
        dataDir: service.dataDir,
        databaseUrl: service.databaseUrl,
        stdin: 'elevenchars',
      });
      expect(answer.code).toBe(1);
      expect(answer.stderr).toContain('at least 12 characters');
    });
  });

  describe('separation from student sessions', () => {
    it('a signed-in student session gives no access to the console, and a staff session none to the student API', async () => {
      const owner = account({ mail: 'separate@example.ac.jp' });
      await service.stores.store.accounts.insert(owner);
      const student = await service.deps.sessions.create({ kiosk: false, accountId: owner.id });
      const s = client();
      s.cookies.set('shomei_sid', student.id);
      expect((await s.get('/api/me')).status).toBe(200);
      expect((await s.get('/api/admin/applications')).body.error.code).toBe('auth.required');
      expect((await s.get('/api/admin/session')).body.staff).toBeNull();

      const staff = await admin();
      expect((await staff.get('/api/me')).status).toBe(401);
    });

    it("does not accept the student session's CSRF token for the console", async () => {
      const c = await admin();
      const studentToken = (await c.get('/api/session')).body.csrfToken as string;
      const answer = await c.post('/api/admin/logout', undefined, { csrf: studentToken });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('csrf.invalid');
    });
  });

  describe('CSRF', () => {
    it('refuses a login and a decision without the staff token, with a wrong one, or from another origin', async () => {
      const c = client();
      c.csrfToken = (await c.get('/api/admin/session')).body.csrfToken;
      const body = { username: 'admin', password: demo.admin!.password };
      expect((await c.post('/api/admin/login', body, { csrf: null })).body.error.code).toBe('csrf.invalid');
      expect((await c.post('/api/admin/login', body, { csrf: 'x'.repeat(43) })).body.error.code).toBe('csrf.invalid');
      expect((await c.post('/api/admin/login', body, { origin: 'https://evil.example' })).body.error.code).toBe('csrf.invalid');

      const staff = await admin();
      const application = await pendingApplication();
      const decision = await staff.post(`/api/admin/applications/${application.id}/decision`, { action: 'approve', reason: '' }, { csrf: null });
      expect(decision.status).toBe(403);
      expect((await service.deps.applications.get(application.id))?.status).toBe('pending');
    });
  });

  describe('roles', () => {
    it('a reviewer cannot import the registry nor list staff; an administrator can list staff', async () => {
      const r = await reviewer();
      const preview = await r.post('/api/admin/registry/import/preview?kind=students', undefined);
      expect(preview.status).toBe(403);
      expect(preview.body.error.code).toBe('auth.forbidden');
      expect((await r.get('/api/admin/staff')).body.error.code).toBe('auth.forbidden');

      const a = await admin();
      const staff = await a.get('/api/admin/staff');
      expect(staff.status).toBe(200);
      expect(staff.body.items.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'reviewer']));
      expect(JSON.stringify(staff.body)).not.toContain('scrypt');
      // Both have just signed in: the list shows when.
      const lastLogin = new Map(staff.body.items.map((u: { username: string; lastLoginAt: string | null }) => [u.username, u.lastLoginAt]));
      for (const name of ['admin', 'reviewer']) expect(Date.now() - Date.parse(lastLogin.get(name) as string)).toBeLessThan(10 * 60_000);
    });

    it('nobody signed out can read the queue, the audit log or the registry', async () => {
      const c = client();
      for (const url of ['/api/admin/applications', '/api/admin/audit', '/api/admin/staff', '/api/admin/registry/students']) {
        expect((await c.get(url)).status).toBe(401);
      }
    });
  });

  describe('applications', () => {
    it('lists the queue with counts, filters and search', async () => {
      const application = await pendingApplication();
      const r = await reviewer();
      const queue = await r.get('/api/admin/applications?status=pending&kind=studentId&search=2101001');
      expect(queue.status).toBe(200);
      expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(application.id);
      expect(queue.body.items[0]).toMatchObject({ kind: 'studentId', status: 'pending', studentId: '2101001', applicant: { nameKanji: '山田 太郎' } });
      expect(queue.body.counts.pending).toBeGreaterThanOrEqual(1);
      expect((await r.get('/api/admin/applications?search=no-such-applicant')).body.total).toBe(0);
      const bad = await r.get('/api/admin/applications?status=bogus&limit=100000');
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields).toMatchObject({ status: 'invalid', limit: 'invalid' });
    });

    it('shows an application with the matching aid field by field', async () => {
      const application = await pendingApplication();
      const detail = await (await reviewer()).get(`/api/admin/applications/${application.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.match.recordFound).toBe(true);
      const fields = Object.fromEntries(detail.body.match.fields.map((f: { field: string; status: string }) => [f.field, f.status]));
      expect(fields).toMatchObject({ studentId: 'match', nameKanji: 'match', departmentCode: 'match' });
      expect(detail.body.names.faculty).toEqual({ ja: '工学部', en: 'Faculty of Engineering' });
      // The registry column names the registry record's own codes, not the applicant's.
      const other = await (await reviewer()).get(`/api/admin/applications/${(await pendingApplication({ facultyCode: 'LIT', departmentCode: 'JPN' })).id}`);
      expect(other.body.names.faculty).toEqual({ ja: '文学部', en: 'Faculty of Letters' });
      expect(other.body.registryNames).toEqual({
        university: { ja: 'デモ大学', en: 'Demo University' },
        faculty: { ja: '工学部', en: 'Faculty of Engineering' },
        department: { ja: '情報工学科', en: 'Department of Information Engineering' },
      });
      const unknown = await (await reviewer()).get(`/api/admin/applications/${(await pendingApplication({ studentId: '9999999' })).id}`);
      expect(unknown.body.registryNames).toEqual({ university: null, faculty: null, department: null });
      expect((await (await reviewer()).get('/api/admin/applications/no-such-id')).status).toBe(404);
    });

    it('records a decision through the API in the audit log with who and when, and refuses a second decision', async () => {
      const application = await pendingApplication();
      const r = await reviewer();
      const missingReason = await r.post(`/api/admin/applications/${application.id}/decision`, { action: 'reject', reason: '  ' });
      expect(missingReason.status).toBe(400);
      expect(missingReason.body.error.fields).toEqual({ reason: 'required' });

      const decided = await r.post(`/api/admin/applications/${application.id}/decision`, { action: 'resubmit', reason: '氏名のカナを確認してください' });
      expect(decided.status).toBe(200);
      expect(decided.body.application).toMatchObject({ status: 'resubmit', reason: '氏名のカナを確認してください', decidedBy: { name: 'Demo Reviewer' } });

      const audit = await r.get(`/api/admin/audit?target=${application.id}&action=application.`);
      const entry = audit.body.items.find((e: { action: string }) => e.action === 'application.resubmit');
      expect(entry).toMatchObject({ actor: { type: 'staff', name: 'Demo Reviewer' }, before: { status: 'pending' }, after: { status: 'resubmit' } });
      // The target named as staff know it: the applicant and the student ID.
      expect(entry.target).toEqual({ type: 'application', id: application.id, label: { ja: '山田 太郎 (2101001)', en: '山田 太郎 (2101001)' } });
      const login = (await r.get('/api/admin/audit?action=staff.login&actor=Demo%20Reviewer&limit=1')).body.items[0];
      expect(login.target.label).toEqual({ ja: 'Demo Reviewer', en: 'Demo Reviewer' });
      expect(Date.parse(entry.at)).not.toBeNaN();

      const again = await (await admin()).post(`/api/admin/applications/${application.id}/decision`, { action: 'approve', reason: '' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('application.alreadyDecided');
    });

    it('lets only one of two simultaneous decisions through', async () => {
      const application = await pendingApplication();
      const [a, r] = await Promise.all([admin(), reviewer()]);
      const answers = await Promise.all([
        a.post(`/api/admin/applications/${application.id}/decision`, { action: 'approve', reason: '' }),
        r.post(`/api/admin/applications/${application.id}/decision`, { action: 'reject', reason: 'no' }),
      ]);
      expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
      const audit = await a.get(`/api/admin/audit?target=${application.id}`);
      expect(audit.body.items.filter((e: { action: string }) => e.action !== 'application.submitted')).toHaveLength(1);
    });
  });

  describe('audit log', () => {
    it('lists newest first with a bounded page size and refuses a page too large', async () => {
      const a = await admin();
      const page = await a.get('/api/admin/audit?limit=2');
      expect(page.body.items).toHaveLength(2);
      expect(page.body.items[0].at >= page.body.items[1].at).toBe(true);
      expect((await a.get('/api/admin/audit?limit=5000')).status).toBe(400);
      const logins = await a.get('/api/admin/audit?action=staff.login&actor=Demo%20Administrator');
      expect(logins.body.total).toBeGreaterThan(0);
    });
  });
});

describe('staff login throttling', () => {
  let service: RunningService;
  const clock = new TestClock();
  beforeAll(async () => {
    // The service's clock stands still unless the test moves it: no test depends on how fast it runs.
    service = await startService({}, { clock });
  });
  afterAll(() => service?.stop());

  it('slows down repeated failures and then locks the name, with a translated message', async () => {
    const c = new ApiClient(service.url);
    c.cookies.set('shomei_lang', 'en');
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push((await c.staffLogin('admin', 'wrong password!')).body.error.code);
    expect(codes).toEqual(['staff.loginFailed', 'staff.loginFailed', 'staff.loginFailed', 'staff.loginThrottled']);
    const throttled = await c.staffLogin('admin', 'wrong password!');
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.message).toBe('Several logins have failed. Please try again in 2 seconds.');
    for (let i = 0; i < 5; i++) {
      clock.advance(120);
      await c.staffLogin('admin', 'wrong password!');
    }
    const { password } = readDemoStaffCredentials(service.dataDir).admin!;
    const locked = await c.staffLogin('admin', password);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'staff.loginLocked', params: { minutes: 15 } });
    clock.advance(15 * 60);
    expect((await c.staffLogin('admin', password)).status).toBe(200);
  });
});
