import type { ApplicationForm } from '../../shared/application-form.js';
import type { Language } from '../model.js';

// The shared vocabulary (service/shared/), named here too for the domain's own modules.
export type { ApplicationForm, LeaveType } from '../../shared/application-form.js';

/**
 * 利用申請: an application to add a student ID to a campus account (manual §2.3), or a
 * graduate's application for access without a campus account. Staff decide.
 */
export type ApplicationKind = 'studentId' | 'graduate';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'resubmit';
export type ApplicationAction = 'submitted' | 'resubmitted' | 'approved' | 'rejected' | 'resubmit';

export interface ApplicationEvent {
  at: string;
  action: ApplicationAction;
  /** Staff user ID for decisions; the account ID for submissions. */
  actor: string;
  reason: string | null;
}

export interface Application {
  id: string;
  kind: ApplicationKind;
  /** The applicant's account (for graduates: the account created at registration, inactive until approval). */
  accountId: string;
  status: ApplicationStatus;
  form: ApplicationForm;
  /** Where and in which language the result mail (利用申請結果のお知らせ) goes. */
  mail: string;
  language: Language;
  /** The reason given with the latest decision. */
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  history: ApplicationEvent[];
}

export interface ApplicationFilter {
  status?: ApplicationStatus;
  kind?: ApplicationKind;
  /** Matches the student ID, any name or the mail address (search.ts). */
  search?: string;
  offset?: number;
  limit?: number;
}

/** What the store is asked: `applicationSearchKey(application)` contains `searchKeyContains` (all when empty). */
export type ApplicationQuery = Omit<ApplicationFilter, 'search'> & { searchKeyContains?: string };

export interface ApplicationStore {
  insert(application: Application): Promise<void>;
  get(id: string): Promise<Application | null>;
  /**
   * Writes `changes` only while the stored application still has `expected`'s status and
   * `updatedAt` (so two staff members cannot both decide); returns the new record, or null when
   * it is absent or had moved on.
   */
  update(id: string, expected: { status: ApplicationStatus; updatedAt: string }, changes: Partial<Omit<Application, 'id'>>): Promise<Application | null>;
  listForAccount(accountId: string): Promise<Application[]>;
  /** Newest first, paged (paging.ts). */
  list(query: ApplicationQuery): Promise<{ total: number; items: Application[] }>;
}
