import { addStudentId, type AccountService } from '../accounts.js';
import type { AuditEntry, AuditLog } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Account, Language, MailMessage } from '../model.js';
import type { OneTimeTokens } from '../one-time-tokens.js';
import type { Clock, Random, TransactionalMailer } from '../ports.js';
import type { CatalogueUniversity } from '../registry/model.js';
import type { TransactionStores, UnitOfWork } from '../stores.js';
import { parseApplicationForm } from '../../shared/application-form.js';
import { applicationResultMail, studentIdLinkMail, type DecisionAction } from './mails.js';
import { foldApplicationSearch } from './search.js';
import type { Application, ApplicationAction, ApplicationFilter, ApplicationForm, ApplicationKind, ApplicationStatus, ApplicationStore } from './model.js';

export type { DecisionAction };

export interface Decision {
  action: DecisionAction;
  /** Required to reject or to request resubmission; shown to the applicant. */
  reason: string | null;
}

export interface StaffActor {
  id: string;
  name: string;
}

/**
 * Called inside the decision's transaction, before the result mail: it writes through `tx`, and
 * throwing undoes the decision (and everything else the transaction wrote).
 */
export type DecisionListener = (application: Application, action: DecisionAction, tx: TransactionStores) => Promise<void>;

export interface ApplicationServiceDeps {
  store: ApplicationStore;
  /** A decision is written with its account changes, the listeners' writes and its audit entries, or not at all. */
  transaction: UnitOfWork['transaction'];
  tokens: OneTimeTokens;
  accounts: AccountService;
  /** Enqueues mails; a decision's result mail commits with the decision. */
  mailer: TransactionalMailer;
  clock: Clock;
  random: Random;
  audit: AuditLog;
  /** The registry's catalogue: the form's university / faculty / department must exist in it. */
  catalogue: () => Promise<CatalogueUniversity[]>;
  /** External base URL, for the links in mails. */
  publicUrl: string;
}

const STATUS_OF: Record<DecisionAction, ApplicationStatus> = { approve: 'approved', reject: 'rejected', resubmit: 'resubmit' };
const HISTORY_OF: Record<DecisionAction, ApplicationAction> = { approve: 'approved', reject: 'rejected', resubmit: 'resubmit' };
/** Longest reason staff may give. */
export const REASON_MAX = 2000;

const fieldError = (fields: Record<string, string>, detail: string) => new DomainError('validation.failed', {}, detail, fields);

/**
 * 利用申請 (manual §2.3 steps 6–14): a student asks for a one-time URL (送信), fills in the form
 * through it (申請), staff approve, reject or ask for resubmission; the student is told by
 * mail (利用申請結果のお知らせ) and sees the status at home. An approved additional student ID
 * is added to the account. Graduates' applications (kind `graduate`) use `submit` and the
 * same decisions.
 */
export interface ApplicationService {
  /** Steps 7–9: mails the one-time URL of the form to the account's registered address, in its language. */
  requestStudentIdLink(account: Account): Promise<{ sentTo: string; expiresAt: string }>;
  /** Whether the mailed link can be used now (does not use it up): `token.unknown|expired|used` otherwise. */
  checkLink(token: string): Promise<{ accountId: string; expiresAt: string }>;
  /**
   * Step 12 (申請) through the mailed link: the form is checked first (a mistake leaves the
   * link usable), then the link is used up atomically and a pending application created.
   * Needs no sign-in: the link may be opened on a phone.
   */
  submitStudentId(token: string, rawForm: unknown): Promise<Application>;
  /**
   * A new pending application of any kind (the graduates' registration uses kind `graduate`),
   * written with its audit entry through `tx` when the caller's transaction has more to write.
   */
  submit(
    input: { kind: ApplicationKind; accountId: string; form: ApplicationForm | unknown; mail: string; language: Language },
    tx?: Pick<TransactionStores, 'applications' | 'audit'>,
  ): Promise<Application>;
  /** 編集して再申請: only the applicant, only while staff asked for resubmission; back to pending. */
  resubmit(accountId: string, applicationId: string, rawForm: unknown): Promise<Application>;
  listForAccount(accountId: string): Promise<Application[]>;
  get(id: string): Promise<Application | null>;
  list(filter: ApplicationFilter): Promise<{ total: number; items: Application[] }>;
  /**
   * A staff decision, only from `pending` (atomic: of two decisions one wins, the other gets
   * `application.alreadyDecided`). Reject and resubmit need a reason. Approving an additional
   * student ID adds it to the account (refused when another account holds it). The decision, the
   * listeners' changes and the audit entries are one transaction; then the result mail goes out
   * in the applicant's language.
   */
  decide(id: string, decision: Decision, staff: StaffActor): Promise<Application>;
  /** Registers a listener for decisions (e.g. activating a graduate's account on approval). */
  onDecided(listener: DecisionListener): void;
}

export function createApplicationService(deps: ApplicationServiceDeps): ApplicationService {
  const listeners: DecisionListener[] = [];

  async function requestStudentIdLink(account: Account): Promise<{ sentTo: string; expiresAt: string }> {
    const to = account.mail;
    if (to === null) throw new DomainError('auth.mailRequired');
    // The link and the mail carrying it commit together.
    const expiresAt = await deps.transaction(async (tx) => {
      const { token, expiresAt } = await deps.tokens.within(tx.store).issue(account.id, 'application.studentId', to);
      await deps.mailer.within(tx).send(
        studentIdLinkMail({
          to,
          language: account.language,
          url: `${deps.publicUrl}/applications/student-id#token=${token}`,
          expiresAt,
          validMinutes: deps.tokens.policy.tokenMinutes,
        }),
      );
      return expiresAt;
    });
    deps.mailer.wake();
    return { sentTo: to, expiresAt: expiresAt.toISOString() };
  }

  async function checkLink(token: string): Promise<{ accountId: string; expiresAt: string }> {
    const record = await deps.tokens.peek(token, 'application.studentId');
    return { accountId: record.accountId, expiresAt: record.expiresAt };
  }

  async function submitStudentId(token: string, rawForm: unknown): Promise<Application> {
    const link = await deps.tokens.peek(token, 'application.studentId');
    const account = await deps.accounts.get(link.accountId);
    const form = await parse(rawForm);
    await refuseDuplicate('studentId', account, form, null);
    return deps.transaction(async (tx) => {
      await deps.tokens.within(tx.store).consume(token, 'application.studentId');
      return create({ kind: 'studentId', accountId: account.id, form, mail: account.mail ?? link.mail, language: account.language }, tx);
    });
  }

  async function submit(
    input: { kind: ApplicationKind; accountId: string; form: ApplicationForm | unknown; mail: string; language: Language },
    tx?: Pick<TransactionStores, 'applications' | 'audit'>,
  ): Promise<Application> {
    const form = await parse(input.form);
    const account = await deps.accounts.get(input.accountId).catch(() => null);
    await refuseDuplicate(input.kind, account ?? { id: input.accountId, studentIds: [] }, form, null);
    return tx ? create({ ...input, form }, tx) : deps.transaction((own) => create({ ...input, form }, own));
  }

  async function resubmit(accountId: string, applicationId: string, rawForm: unknown): Promise<Application> {
    const current = await deps.store.get(applicationId);
    // Someone else's application does not exist, as far as this account can tell.
    if (!current || current.accountId !== accountId) throw new DomainError('notFound');
    if (current.status !== 'resubmit') throw new DomainError('application.notResubmittable');
    const form = await parse(rawForm);
    const account = await deps.accounts.get(accountId).catch(() => null);
    await refuseDuplicate(current.kind, account ?? { id: accountId, studentIds: [] }, form, current.id);
    const at = now();
    return deps.transaction(async (tx) => {
      const updated = await tx.applications.update(
        applicationId,
        { status: 'resubmit', updatedAt: current.updatedAt },
        { status: 'pending', form, updatedAt: at, history: [...current.history, { at, action: 'resubmitted', actor: accountId, reason: null }] },
      );
      if (!updated) throw new DomainError('application.notResubmittable');
      await tx.audit.append({
        at,
        actor: applicantActor(updated),
        action: 'application.resubmitted',
        target: { type: 'application', id: updated.id },
        before: { status: current.status, form: current.form },
        after: { status: updated.status, form: updated.form },
        note: null,
      });
      return updated;
    });
  }

  function listForAccount(accountId: string): Promise<Application[]> {
    return deps.store.listForAccount(accountId);
  }

  function get(id: string): Promise<Application | null> {
    return deps.store.get(id);
  }

  function list(filter: ApplicationFilter): Promise<{ total: number; items: Application[] }> {
    const { search, ...rest } = filter;
    return deps.store.list({ ...rest, searchKeyContains: foldApplicationSearch(search ?? '') });
  }

  async function decide(id: string, decision: Decision, staff: StaffActor): Promise<Application> {
    const reason = decision.reason?.trim() ? decision.reason.trim().slice(0, REASON_MAX) : null;
    if (decision.action !== 'approve' && reason === null) throw new DomainError('application.reasonRequired');
    const before = await deps.store.get(id);
    if (!before) throw new DomainError('notFound');
    if (before.status !== 'pending') throw new DomainError('application.alreadyDecided');
    const addsStudentId = decision.action === 'approve' && before.kind === 'studentId';
    if (addsStudentId) await refuseTakenStudentId(before);

    const at = now();
    const status = STATUS_OF[decision.action];
    const decided = await deps.transaction(async (tx) => {
      const updated = await tx.applications.update(
        id,
        { status: 'pending', updatedAt: before.updatedAt },
        {
          status,
          reason,
          updatedAt: at,
          decidedAt: at,
          decidedBy: staff.id,
          history: [...before.history, { at, action: HISTORY_OF[decision.action], actor: staff.id, reason }],
        },
      );
      if (!updated) throw new DomainError('application.alreadyDecided');
      const added = addsStudentId ? await addStudentId(tx.store.accounts, updated.accountId, updated.form.studentId) : null;
      for (const listener of listeners) await listener(updated, decision.action, tx);

      const actor: AuditEntry['actor'] = { type: 'staff', id: staff.id, name: staff.name };
      await tx.audit.append({
        at,
        actor,
        action: `application.${HISTORY_OF[decision.action]}`,
        target: { type: 'application', id },
        before: { status: before.status },
        after: { status: updated.status, reason, studentId: updated.form.studentId },
        note: reason,
      });
      if (added?.added) {
        await tx.audit.append({
          at,
          actor,
          action: 'account.studentId.added',
          target: { type: 'account', id: updated.accountId },
          before: { studentIds: added.account.studentIds.filter((s) => s !== updated.form.studentId) },
          after: { studentIds: added.account.studentIds },
          note: `application ${id}`,
        });
      }
      // The result mail commits with the decision, or neither does.
      await deps.mailer.within(tx).send(resultMail(updated, decision.action));
      return updated;
    });
    deps.mailer.wake();
    return decided;
  }

  function onDecided(listener: DecisionListener): void {
    listeners.push(listener);
  }

  function resultMail(application: Application, action: DecisionAction): MailMessage {
    const base = deps.publicUrl;
    const url = application.kind === 'studentId' ? `${base}/home` : `${base}/login`;
    return applicationResultMail({
      to: application.mail,
      language: application.language,
      kind: application.kind,
      action,
      studentId: application.form.studentId,
      reason: application.reason,
      url,
    });
  }

  async function create(
    input: { kind: ApplicationKind; accountId: string; form: ApplicationForm; mail: string; language: Language },
    tx: Pick<TransactionStores, 'applications' | 'audit'>,
  ): Promise<Application> {
    const at = now();
    const application: Application = {
      id: deps.random.id(),
      kind: input.kind,
      accountId: input.accountId,
      status: 'pending',
      form: input.form,
      mail: input.mail,
      language: input.language,
      reason: null,
      createdAt: at,
      updatedAt: at,
      decidedAt: null,
      decidedBy: null,
      history: [{ at, action: 'submitted', actor: input.accountId, reason: null }],
    };
    await tx.applications.insert(application);
    await tx.audit.append({
      at,
      actor: applicantActor(application),
      action: 'application.submitted',
      target: { type: 'application', id: application.id },
      before: null,
      after: { status: application.status, kind: application.kind, form: application.form },
      note: null,
    });
    return application;
  }

  /** The form, normalised and checked against the catalogue; `validation.failed` with a code per field. */
  async function parse(raw: unknown): Promise<ApplicationForm> {
    const result = parseApplicationForm(raw, { catalogue: await deps.catalogue(), now: deps.clock.now() });
    if (!result.ok) throw fieldError(result.fields, `application form: ${JSON.stringify(result.fields)}`);
    return result.form;
  }

  /** One open application per student ID and account; an ID the account has already is no application. */
  async function refuseDuplicate(
    kind: ApplicationKind,
    account: Pick<Account, 'id' | 'studentIds'>,
    form: ApplicationForm,
    except: string | null,
  ): Promise<void> {
    if (kind === 'studentId' && account.studentIds.includes(form.studentId)) {
      throw fieldError({ studentId: 'studentId.alreadyYours' }, 'student ID already on the account');
    }
    const open = (await deps.store.listForAccount(account.id)).find(
      (a) => a.id !== except && a.kind === kind && (a.status === 'pending' || a.status === 'resubmit') && a.form.studentId === form.studentId,
    );
    if (open) throw fieldError({ studentId: 'studentId.pending' }, `application ${open.id} is open for this student ID`);
  }

  async function refuseTakenStudentId(application: Application): Promise<void> {
    const holders = await deps.accounts.findByStudentId(application.form.studentId);
    if (holders.some((a) => a.id !== application.accountId)) {
      throw new DomainError('application.studentIdTaken', { studentId: application.form.studentId });
    }
  }

  function applicantActor(application: Application): AuditEntry['actor'] {
    return {
      type: application.kind === 'graduate' ? 'graduate' : 'student',
      id: application.accountId,
      name: application.form.nameKanji,
    };
  }

  function now(): string {
    return deps.clock.now().toISOString();
  }

  return { requestStudentIdLink, checkLink, submitStudentId, submit, resubmit, listForAccount, get, list, decide, onDecided };
}
