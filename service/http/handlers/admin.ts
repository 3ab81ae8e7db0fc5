import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import type {
  ApplicationDetail,
  ApplicationQueue,
  ApplicationQueueItem,
  AuditPage,
  DecisionResponse,
  FieldMatchView,
  LocalizedName,
  StaffIdentity,
  StaffList,
  StaffLogoutResponse,
  StaffSessionInfo,
} from '../../contract/admin.js';
import type { Application, ApplicationStatus } from '../../domain/applications/model.js';
import { PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT } from '../../domain/paging.js';
import { DomainError } from '../../domain/errors.js';
import { publicStaff } from '../../domain/staff/accounts.js';
import type { StaffUser } from '../../domain/staff/model.js';
import type { AppDeps } from '../deps.js';
import { staffOf, type StaffSessions } from '../middleware/staff-session.js';
import { auditEntryViews, labelText, type TargetNamer } from '../presenters/audit.js';
import { idParam, validated } from '../validate.js';

export const QUEUE_DEFAULT_LIMIT = 50;
export const QUEUE_MAX_LIMIT = 100;
const STATUSES: ApplicationStatus[] = ['pending', 'resubmit', 'approved', 'rejected'];

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'tooLong')
    .optional()
    .transform((v) => (v ? v : undefined));
const offset = z.coerce.number({ error: 'invalid' }).int('invalid').min(0, 'invalid').max(1_000_000, 'invalid').optional();
const limit = (max: number) => z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(max, 'invalid').optional();

const applicationParams = z.object({ id: idParam() });

/** What each route of the console's core checks (routes/admin.ts). */
export const adminInput = {
  login: {
    body: z.object({
      username: z.string({ error: 'required' }).trim().min(1, 'required').max(64, 'tooLong'),
      password: z.string({ error: 'required' }).min(1, 'required').max(256, 'tooLong'),
    }),
  },
  queue: {
    query: z.object({
      status: z.enum(['pending', 'approved', 'rejected', 'resubmit'], { error: 'invalid' }).optional(),
      kind: z.enum(['studentId', 'graduate'], { error: 'invalid' }).optional(),
      search: optionalText(100),
      offset,
      limit: limit(QUEUE_MAX_LIMIT),
    }),
  },
  detail: { params: applicationParams },
  decision: {
    body: z
      .object({
        action: z.enum(['approve', 'reject', 'resubmit'], { error: 'required' }),
        reason: z.string({ error: 'required' }).trim().max(1000, 'tooLong').default(''),
      })
      .refine((d) => d.action === 'approve' || d.reason.length > 0, { path: ['reason'], message: 'required' }),
    params: applicationParams,
  },
  audit: {
    query: z.object({
      action: optionalText(100),
      actor: optionalText(100),
      target: optionalText(100),
      offset,
      limit: limit(PAGE_MAX_LIMIT),
    }),
  },
};

const identityOf = (user: StaffUser): StaffIdentity => ({ id: user.id, username: user.username, displayName: user.displayName, role: user.role });

/** The latest time the applicant sent the form (first submission or a resubmission). */
function submittedAt(a: Application): string {
  for (let i = a.history.length - 1; i >= 0; i--) {
    const e = a.history[i]!;
    if (e.action === 'submitted' || e.action === 'resubmitted') return e.at;
  }
  return a.createdAt;
}

const queueItem = (a: Application): ApplicationQueueItem => ({
  id: a.id,
  kind: a.kind,
  status: a.status,
  applicant: { nameKanji: a.form.nameKanji, nameRoman: a.form.nameRoman },
  studentId: a.form.studentId,
  submittedAt: submittedAt(a),
  decidedAt: a.decidedAt,
});

export function adminHandlers(deps: AppDeps, sessions: StaffSessions) {
  const { accounts } = deps.staff;

  const sessionInfo = (csrfToken: string, user: StaffUser | null): StaffSessionInfo => ({
    csrfToken,
    staff: user ? identityOf(user) : null,
    demo: deps.staff.demo,
    idleTimeoutSeconds: deps.staff.sessions.policy.idleSeconds,
  });

  async function staffNames(): Promise<Map<string, string>> {
    return new Map((await accounts.list()).map((u) => [u.id, u.displayName]));
  }

  async function detailOf(a: Application): Promise<ApplicationDetail> {
    const [names, report, catalogue] = await Promise.all([staffNames(), deps.registry.match(a.form), deps.registry.catalogue()]);
    const university = catalogue.find((u) => u.code === a.form.universityCode);
    const faculty = university?.faculties.find((f) => f.code === a.form.facultyCode);
    const department = faculty?.departments.find((d) => d.code === a.form.departmentCode);
    const name = (n: { name: LocalizedName } | undefined): LocalizedName | null => (n ? { ja: n.name.ja, en: n.name.en } : null);
    const { record } = report;
    const localized = (n: LocalizedName): LocalizedName => ({ ja: n.ja, en: n.en });
    return {
      id: a.id,
      kind: a.kind,
      status: a.status,
      form: { ...a.form },
      names: { university: name(university), faculty: name(faculty), department: name(department) },
      registryNames: {
        university: record && localized(record.universityName),
        faculty: record && localized(record.facultyName),
        department: record && localized(record.departmentName),
      },
      mail: a.mail,
      language: a.language,
      reason: a.reason,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      decidedAt: a.decidedAt,
      decidedBy: a.decidedBy ? { id: a.decidedBy, name: names.get(a.decidedBy) ?? a.decidedBy } : null,
      history: a.history.map((e) => ({
        at: e.at,
        action: e.action,
        actorName: e.action === 'submitted' || e.action === 'resubmitted' ? null : (names.get(e.actor) ?? e.actor),
        reason: e.reason,
      })),
      match: {
        recordFound: report.record !== null,
        allMatch: report.allMatch,
        fields: report.fields.map((f): FieldMatchView => ({ field: f.field, status: f.result, applied: f.applied, registry: f.registry })),
      },
    };
  }

  /** How the audit log names each kind of target (see AuditTargetView). */
  function auditTargetNamers(): Record<string, TargetNamer> {
    const certificates = deps.certificates.store;
    let staff: Promise<Map<string, string>> | null = null;
    return {
      application: async (id) => {
        const a = await deps.applications.get(id);
        return labelText(a && `${a.form.nameKanji} (${a.form.studentId})`);
      },
      certificate: async (id) => labelText((await certificates.certificates.get(id))?.number),
      reservation: async (id) => labelText((await certificates.reservations.get(id))?.number),
      certificateType: async (code) => {
        const type = await certificates.types.get(code);
        return type && { ja: type.name.ja, en: type.name.en };
      },
      staffUser: async (id) => labelText((await (staff ??= staffNames())).get(id)),
      terminal: async (id) => {
        const terminal = await deps.terminals.get(id);
        if (terminal?.embedded) return { ja: 'この機器の端末（組み込みサービス）', en: 'This machine’s terminal (embedded service)' };
        return labelText(terminal && (terminal.location ? `${terminal.name} (${terminal.location})` : terminal.name));
      },
      account: async (id) => {
        const account = await deps.accounts.find(id);
        return labelText(account && (account.nameKanji ?? account.displayName ?? account.mail));
      },
    };
  }

  const session: RequestHandler = async (req, res) => {
    const live = sessions.ensure(req, res);
    res.json(sessionInfo(live.record.csrfToken, (res.locals.staffUser as StaffUser | undefined) ?? null));
  };

  const login: RequestHandler = async (req, res) => {
    const { username, password } = validated(res, adminInput.login).body;
    const { user, session } = await deps.staff.login(username, password, req.staffSession ?? null);
    const live = sessions.adopt(req, res, session);
    req.log?.info({ staffId: user.id }, 'staff login');
    res.json(sessionInfo(live.record.csrfToken, user));
  };

  const logout: RequestHandler = async (req, res) => {
    await sessions.destroy(req, res);
    const body: StaffLogoutResponse = { ok: true };
    res.json(body);
  };

  const queue: RequestHandler = async (_req, res) => {
    const q = validated(res, adminInput.queue).query;
    const pageLimit = q.limit ?? QUEUE_DEFAULT_LIMIT;
    const pageOffset = q.offset ?? 0;
    const [page, ...perStatus] = await Promise.all([
      deps.applications.list({ status: q.status, kind: q.kind, search: q.search, offset: pageOffset, limit: pageLimit }),
      ...STATUSES.map((status) => deps.applications.list({ status, kind: q.kind, search: q.search, offset: 0, limit: 1 })),
    ]);
    const counts = Object.fromEntries(STATUSES.map((s, i) => [s, perStatus[i]!.total])) as Record<ApplicationStatus, number>;
    const body: ApplicationQueue = { total: page.total, offset: pageOffset, limit: pageLimit, items: page.items.map(queueItem), counts };
    res.json(body);
  };

  const detail: RequestHandler = async (_req, res) => {
    const application = await deps.applications.get(validated(res, adminInput.detail).params.id);
    if (!application) throw new DomainError('notFound', {}, 'no such application');
    res.json(await detailOf(application));
  };

  const decide: RequestHandler = async (_req, res) => {
    const { params, body: decision } = validated(res, adminInput.decision);
    const { action, reason } = decision;
    const staff = staffOf(res);
    const application = await deps.applications.decide(params.id, { action, reason: reason || null }, { id: staff.id, name: staff.name });
    const body: DecisionResponse = { application: await detailOf(application) };
    res.json(body);
  };

  const audit: RequestHandler = async (_req, res) => {
    const q = validated(res, adminInput.audit).query;
    const pageLimit = q.limit ?? PAGE_DEFAULT_LIMIT;
    const pageOffset = q.offset ?? 0;
    const page = await deps.audit.list({ action: q.action, actor: q.actor, targetId: q.target, offset: pageOffset, limit: pageLimit });
    const body: AuditPage = { total: page.total, offset: pageOffset, limit: pageLimit, items: await auditEntryViews(page.items, auditTargetNamers()) };
    res.json(body);
  };

  const staffList: RequestHandler = async (_req, res: Response) => {
    const body: StaffList = { items: (await accounts.list()).map(publicStaff) };
    res.json(body);
  };

  return { session, login, logout, queue, detail, decide, audit, staffList };
}
