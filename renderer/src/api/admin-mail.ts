/**
 * メール送信状況 / Mail delivery in the staff console (staff session and CSRF token through
 * `adminCall`): read by every staff user; administrators send a mail again.
 */
import type { MailProblemList, MailProblemView } from '@contract/mail';
import { adminCall } from './admin';

export async function getMailProblems(): Promise<MailProblemList> {
  return adminCall<MailProblemList>({ method: 'GET', url: '/api/admin/mail' });
}

/** 404 `notFound` when the mail was sent meanwhile (or a sender holds it right now). */
export async function retryMail(id: string): Promise<MailProblemView> {
  return adminCall<MailProblemView>({ method: 'POST', url: `/api/admin/mail/${encodeURIComponent(id)}/retry`, data: {} });
}
