/**
 * メール送信状況 / Mail delivery in the staff console (/api/admin/mail, types only): the mails
 * that need a person (failed, or unsent too long). Every staff user reads; administrators send
 * one again (POST with the staff CSRF token, audited as `mail.retried`).
 */

export interface MailProblemView {
  id: string;
  /** The recipient masked ("ta******@example.ac.jp"): enough to recognise, not to harvest. */
  to: string;
  subject: string;
  language: 'ja' | 'en';
  /** failed: given up after its last attempt; pending: waiting for its next attempt; sending: an attempt under way. */
  status: 'failed' | 'pending' | 'sending';
  attempts: number;
  lastError: string | null;
  enqueuedAt: string;
  /** When the next attempt is due (pending). */
  dueAt: string;
}

/** GET /api/admin/mail */
export interface MailProblemList {
  items: MailProblemView[];
  /** Unsent mails are listed from this many minutes after they were enqueued. */
  stuckAfterMinutes: number;
}
