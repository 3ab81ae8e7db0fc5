import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffSessionInfo } from '../../service/contract/admin.js';
import type { CatalogueResponse, ImportPreview, ImportResult, StudentDetailResponse, StudentSearchResponse } from '../../service/contract/registry.js';
import { startService, type RunningService } from '../support/service.js';
import { gradeRow, gradesCsv, studentRow, studentsCsv } from '../support/registry-fixtures.js';

/** A staff console client: its own cookie and CSRF token, as the console's request function has. */
class StaffClient {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}

  async request(method: string, path: string, body?: { json?: unknown; csv?: string }): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = { accept: 'application/json', origin: this.base };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let payload: string | undefined;
    if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.csv !== undefined) {
      headers['content-type'] = 'text/csv; charset=utf-8';
      payload = body.csv;
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('shomei_staff='));
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  async login(username: string, password: string): Promise<void> {
    const session = await this.request('GET', '/api/admin/session');
    this.csrf = (session.json as StaffSessionInfo).csrfToken;
    const login = await this.request('POST', '/api/admin/login', { json: { username, password } });
    expect(login.status).toBe(200);
    this.csrf = (login.json as StaffSessionInfo).csrfToken;
  }

  preview(kind: string, csv: string) {
    return this.request('POST', `/api/admin/registry/import/preview?kind=${kind}`, { csv });
  }

  commit(kind: string, csv: string, hash: string) {
    return this.request('POST', `/api/admin/registry/import/commit?kind=${kind}&previewHash=${encodeURIComponent(hash)}`, { csv });
  }
}

const SYSTEM = { type: 'system' as const, id: 'test', name: 'test' };

describe('registry import over HTTP', () => {
  let svc: RunningService;
  const admin = () => new StaffClient(svc.url);
  let adminClient: StaffClient;
  let reviewerClient: StaffClient;

  beforeAll(async () => {
    svc = await startService({});
    const accounts = svc.deps.staff.accounts;
    await accounts.create({ username: 'registrar', displayName: 'Registrar Ito', role: 'administrator', password: 'correct horse battery' }, SYSTEM);
    await accounts.create({ username: 'checker', displayName: 'Checker Ono', role: 'reviewer', password: 'correct horse battery' }, SYSTEM);
    adminClient = admin();
    await adminClient.login('registrar', 'correct horse battery');
    reviewerClient = admin();
    await reviewerClient.login('checker', 'correct horse battery');
  });

  afterAll(async () => {
    await svc?.stop();
  });

  it('serves the demo university as the public catalogue', async () => {
    const res = await fetch(`${svc.url}/api/catalogue`);
    expect(res.status).toBe(200);
    const catalogue = (await res.json()) as CatalogueResponse;
    expect(catalogue.map((u) => [u.code, u.name.ja, u.name.en])).toEqual([['DEMO', 'デモ大学', 'Demo University']]);
    expect(catalogue[0]!.faculties.map((f) => f.code)).toEqual(['ENG', 'GSE', 'LIT']);
  });

  it('previews, then commits a students file larger than the app-wide 64 kB body limit', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => studentRow({ student_id: `30${String(i).padStart(5, '0')}` }));
    const csv = studentsCsv(rows, { bom: true, eol: '\r\n' });
    expect(csv.length).toBeGreaterThan(64 * 1024);

    const preview = await adminClient.preview('students', csv);
    expect(preview.status).toBe(200);
    const p = preview.json as ImportPreview;
    expect(p).toMatchObject({ kind: 'students', rows: 400, counts: { added: 400, updated: 0, unchanged: 0 }, errorCount: 0 });
    expect(p.added).toHaveLength(200);
    expect(p.truncated).toBe(true);

    const commit = await adminClient.commit('students', csv, p.hash!);
    expect(commit.status).toBe(200);
    expect((commit.json as ImportResult).counts).toEqual({ added: 400, updated: 0, unchanged: 0 });

    const audit = await svc.deps.audit.list({ action: 'registry.students.imported' });
    expect(audit.items[0]).toMatchObject({
      actor: { type: 'staff', name: 'Registrar Ito' },
      after: { counts: { added: 400 }, omittedStudents: 300 },
    });
  });

  it('answers a malformed file with line-numbered errors and changes nothing', async () => {
    const csv = studentsCsv([studentRow({ student_id: '3100001' }), studentRow({ student_id: '3100002', status: 'expelled' })]);
    const preview = await adminClient.preview('students', csv);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      hash: null,
      errorCount: 1,
      errors: [{ line: 3, column: 'status', code: 'status.invalid', params: { value: 'expelled' } }],
    });
    const commit = await adminClient.commit('students', csv, 'A'.repeat(43));
    expect(commit.status).toBe(400);
    expect(commit.json.error.code).toBe('registry.importInvalid');
    expect(await svc.deps.registry.getStudent('3100001')).toBeNull();
  });

  it('refuses a commit with another file than the preview’s', async () => {
    const preview = await adminClient.preview('students', studentsCsv([studentRow({ student_id: '3200001' })]));
    const commit = await adminClient.commit('students', studentsCsv([studentRow({ student_id: '3200002' })]), (preview.json as ImportPreview).hash!);
    expect(commit.status).toBe(409);
    expect(commit.json.error).toMatchObject({ code: 'registry.previewStale' });
    expect(commit.json.error.message).toContain('プレビュー');
  });

  it('updates a demo student’s grades and shows them with the student', async () => {
    const csv = gradesCsv([gradeRow('2101003', { course_code: 'ME999', title_ja: '機械設計', title_en: 'Machine Design', grade: 'S', term: '2025-1' })]);
    const p = (await adminClient.preview('grades', csv)).json as ImportPreview;
    expect(p.counts).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect((await adminClient.commit('grades', csv, p.hash!)).status).toBe(200);

    const detail = await reviewerClient.request('GET', '/api/admin/registry/students/2101003');
    expect(detail.status).toBe(200);
    const d = detail.json as StudentDetailResponse;
    expect(d.student).toMatchObject({ studentId: '2101003', nameKanji: '鈴木 一郎' });
    expect(d.grades.map((g) => g.courseCode)).toEqual(['ME999']);
  });

  it('lets reviewers search the registry but not import', async () => {
    const search = await reviewerClient.request('GET', '/api/admin/registry/students?search=%E9%AB%98%E6%A9%8B&limit=10');
    expect(search.status).toBe(200);
    expect((search.json as StudentSearchResponse).items.map((s) => s.studentId)).toEqual(['2101004', '5251004']);

    const preview = await reviewerClient.preview('students', studentsCsv([studentRow()]));
    expect(preview.status).toBe(403);
    expect(preview.json.error.code).toBe('auth.forbidden');
  });

  it('answers 404 for a student ID the registry does not have', async () => {
    const res = await reviewerClient.request('GET', '/api/admin/registry/students/0000000');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('notFound');
  });

  it('refuses the registry API without a staff sign-in', async () => {
    const anonymous = admin();
    expect((await anonymous.request('GET', '/api/admin/registry/students')).status).toBe(401);
    const session = await anonymous.request('GET', '/api/admin/session');
    expect(session.status).toBe(200);
  });

  it('names the file field when the file is over 5 MB or missing', async () => {
    const big = studentsCsv([studentRow()]) + 'x'.repeat(5 * 1024 * 1024);
    const tooBig = await adminClient.preview('students', big);
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error).toMatchObject({ code: 'validation.failed', fields: { csv: 'registry.tooLarge' } });

    const none = await adminClient.request('POST', '/api/admin/registry/import/preview?kind=students', { json: { csv: 'x' } });
    expect(none.status).toBe(400);
    expect(none.json.error).toMatchObject({ code: 'validation.failed', fields: { csv: 'required' } });

    const badKind = await adminClient.preview('teachers', 'a');
    expect(badKind.json.error).toMatchObject({ code: 'validation.failed', fields: { kind: 'registry.kind' } });
  });
});
