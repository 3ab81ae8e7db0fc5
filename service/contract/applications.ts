/**
 * /api/applications — the student's 利用申請 for an additional student ID (manual §2.3).
 * Types only (the renderer imports them). Errors have the `ApiError` shape of contract/api.ts;
 * a form with mistakes answers 400 `validation.failed` with `fields` (field → code, see
 * `ApplicationFieldErrorCode`).
 */
import type { ApplicationKind, ApplicationStatus, LeaveType } from './admin.js';

export type { ApplicationKind, ApplicationStatus, LeaveType };

/** The personal-data form (在学時情報), as the service normalised it. */
export type { ApplicationForm } from '../shared/application-form.js';
import type { ApplicationForm } from '../shared/application-form.js';

/**
 * The form as the browser holds it: every field a string, exactly as typed (the service
 * normalises widths and spaces). `graduationYearMonth` is `YYYY-MM` (Western calendar).
 */
export type ApplicationFormInput = Record<keyof ApplicationForm, string>;

/** Field error codes of the form (`fields` of a `validation.failed` answer). */
export type ApplicationFieldErrorCode =
  | 'required'
  | 'tooLong'
  | 'name.invalid'
  | 'name.spaceRequired'
  | 'kana.invalid'
  | 'roman.invalid'
  | 'university.unknown'
  | 'faculty.unknown'
  | 'department.unknown'
  | 'studentId.invalid'
  | 'studentId.alreadyYours'
  | 'studentId.pending'
  | 'graduation.invalid'
  | 'graduation.outOfRange'
  | 'leaveType.invalid';

/** An application as its applicant sees it (no staff identities). */
export interface ApplicationSummary {
  id: string;
  kind: ApplicationKind;
  status: ApplicationStatus;
  form: ApplicationForm;
  /** The reason given with the latest decision (rejection, resubmission request). */
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
}

/** POST /api/applications/student-id/link (signed in with a mail address; 送信) — mails the one-time URL. */
export interface StudentIdLinkResponse {
  sentTo: string;
  /** When the one-time URL stops working. */
  expiresAt: string;
}

/** POST /api/applications/student-id/check — is the mailed link (`/applications/student-id#token=…`) usable? Does not use it up. */
export interface StudentIdCheckRequest {
  token: string;
}
export interface StudentIdCheckResponse {
  expiresAt: string;
}

/** POST /api/applications/student-id (申請) — uses up the link and creates a pending application. */
export interface StudentIdApplicationRequest {
  token: string;
  form: ApplicationFormInput;
}
export type StudentIdApplicationResponse = ApplicationSummary;

/** GET /api/applications (signed in) — the account's applications, newest first. */
export type ApplicationListResponse = ApplicationSummary[];

/** PUT /api/applications/:id (signed in, owner, status `resubmit`) — 編集して再申請. */
export interface ResubmitRequest {
  form: ApplicationFormInput;
}
export type ResubmitResponse = ApplicationSummary;
