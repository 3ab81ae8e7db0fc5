/**
 * The staff console's API under /api/admin (types only). Staff have their own session (cookie
 * `shomei_staff`) and their own CSRF token: every POST under /api/admin/ carries the header
 * `X-CSRF-Token` with `csrfToken` from `GET /api/admin/session` (not the student session's).
 */
import type { Language } from './api.js';

export type StaffRole = 'reviewer' | 'administrator';

/** The signed-in staff user as the console sees it. */
export interface StaffIdentity {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
}

/** GET /api/admin/session — creates an anonymous staff session when needed (for the login form's CSRF token). */
export interface StaffSessionInfo {
  csrfToken: string;
  staff: StaffIdentity | null;
  /** Demo mode: the login page says where the seeded credentials are. */
  demo: boolean;
  /** Idle timeout of a staff session, in seconds. */
  idleTimeoutSeconds: number;
}

/** POST /api/admin/login */
export interface StaffLoginRequest {
  username: string;
  password: string;
}
/** The new session (new cookie, new CSRF token). */
export type StaffLoginResponse = StaffSessionInfo;

/** POST /api/admin/logout */
export interface StaffLogoutResponse {
  ok: true;
}

export type ApplicationKind = 'studentId' | 'graduate';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'resubmit';
// The vocabulary the service and the renderer share (service/shared/).
export type { LeaveType } from '../shared/application-form.js';
export type { LocalizedName } from '../shared/catalogue.js';
import type { LeaveType } from '../shared/application-form.js';
import type { LocalizedName } from '../shared/catalogue.js';

/** GET /api/admin/applications?status=&kind=&search=&offset=&limit= */
export interface ApplicationQueueQuery {
  status?: ApplicationStatus;
  kind?: ApplicationKind;
  search?: string;
  offset?: number;
  limit?: number;
}

export interface ApplicationQueueItem {
  id: string;
  kind: ApplicationKind;
  status: ApplicationStatus;
  applicant: { nameKanji: string; nameRoman: string };
  studentId: string;
  /** The latest submission (first or resubmitted). */
  submittedAt: string;
  decidedAt: string | null;
}

export interface ApplicationQueue {
  total: number;
  offset: number;
  limit: number;
  items: ApplicationQueueItem[];
  /** How many applications have each status, for the same kind and search. */
  counts: Record<ApplicationStatus, number>;
}

export interface ApplicationFormView {
  nameKanji: string;
  nameKana: string;
  nameRoman: string;
  universityCode: string;
  facultyCode: string;
  departmentCode: string;
  studentId: string;
  graduationYearMonth: string;
  leaveType: LeaveType;
}

export type ApplicationFieldName = keyof ApplicationFormView;

/** One field of the matching aid (the registry's `match(form)`). */
export interface FieldMatchView {
  field: ApplicationFieldName;
  /** match: equal after normalisation; mismatch: differs; noRecord: no registry record to compare. */
  status: 'match' | 'mismatch' | 'noRecord';
  /** What the application says (normalised). */
  applied: string;
  /** What the registry says, as text; null when there is no record or no value. */
  registry: string | null;
}

export interface MatchView {
  /** False when the registry has no record of the form's student ID. */
  recordFound: boolean;
  allMatch: boolean;
  fields: FieldMatchView[];
}

export interface ApplicationHistoryEntry {
  at: string;
  action: 'submitted' | 'resubmitted' | 'approved' | 'rejected' | 'resubmit';
  /** Staff display name for decisions; null for the applicant's own actions. */
  actorName: string | null;
  reason: string | null;
}

/** University / faculty / department names; null where the code names nothing. */
export interface UnitNames {
  university: LocalizedName | null;
  faculty: LocalizedName | null;
  department: LocalizedName | null;
}

/** GET /api/admin/applications/:id */
export interface ApplicationDetail {
  id: string;
  kind: ApplicationKind;
  status: ApplicationStatus;
  form: ApplicationFormView;
  /** Names of the form's university / faculty / department codes from the catalogue (null when unknown). */
  names: UnitNames;
  /** The names the registry's record of the student ID gives its own codes (null without a record). */
  registryNames: UnitNames;
  mail: string;
  language: Language;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
  decidedBy: { id: string; name: string } | null;
  history: ApplicationHistoryEntry[];
  /** The matching aid, field by field. */
  match: MatchView;
}

export type DecisionAction = 'approve' | 'reject' | 'resubmit';

/** POST /api/admin/applications/:id/decision — reason required for reject and resubmit. */
export interface DecisionRequest {
  action: DecisionAction;
  reason: string;
}
export interface DecisionResponse {
  application: ApplicationDetail;
}

/** GET /api/admin/audit?action=&actor=&target=&offset=&limit= */
export interface AuditQuery {
  /** Exact action, or a prefix ending in "." (e.g. `application.`). */
  action?: string;
  /** Actor ID, or part of the actor's name. */
  actor?: string;
  /** Target ID. */
  target?: string;
  offset?: number;
  limit?: number;
}

/**
 * What an entry acted on. `label` names it where the console can: an application by the applicant
 * and student ID, a certificate and a reservation by their numbers, a certificate type and a staff
 * user by name, an account by its holder; null when there is nothing better than the ID.
 */
export interface AuditTargetView {
  type: string;
  id: string;
  label: LocalizedName | null;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: { type: 'staff' | 'student' | 'graduate' | 'system' | 'recipient'; id: string; name: string };
  action: string;
  target: AuditTargetView;
  before: unknown;
  after: unknown;
  note: string | null;
}

export interface AuditPage {
  total: number;
  offset: number;
  limit: number;
  items: AuditEntryView[];
}

/** GET /api/admin/staff (administrators) */
export interface StaffUserView extends StaffIdentity {
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}
export interface StaffList {
  items: StaffUserView[];
}
