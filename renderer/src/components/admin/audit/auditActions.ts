/**
 * Every action the service writes to the audit log, by family; each has a name under
 * `adminAudit.actions` (test/unit/audit-actions.test.ts checks the service's code against this
 * list). The family's prefix (`application.`) filters all of its actions.
 */
export const AUDIT_ACTION_FAMILIES: Record<string, readonly string[]> = {
  application: ['application.submitted', 'application.resubmitted', 'application.approved', 'application.rejected', 'application.resubmit'],
  account: ['account.activated', 'account.studentId.added'],
  graduate: ['graduate.registered', 'graduate.signedIn', 'graduate.passwordReset', 'graduate.locked'],
  certificate: [
    'certificate.order.placed',
    'certificate.reservation.created',
    'certificate.campusJob.created',
    'certificate.mailOrder.created',
    'certificate.pdfDelivery.created',
    'certificate.pdfDelivery.opened',
    'certificate.pdfDelivery.downloaded',
    'certificate.reservation.reminded',
    'certificate.reservation.expired',
    'certificate.reservation.cancelled',
    'certificate.reservation.printStarted',
    'certificate.reservation.printed',
    'certificate.reservation.printFailed',
    'certificate.campusJob.printStarted',
    'certificate.campusJob.printed',
    'certificate.campusJob.printFailed',
    'certificate.mailOrder.shipped',
    'certificate.revoked',
    'certificate.pdf.viewed',
    'certificate.shareLink.created',
    'certificate.shareLink.revoked',
    'certificate.credential.downloaded',
    'certificate.type.created',
    'certificate.type.updated',
    'certificate.type.deleted',
  ],
  registry: ['registry.students.imported', 'registry.grades.imported'],
  staff: ['staff.login', 'staff.loginLocked', 'staff.user.created', 'staff.user.disabled', 'staff.user.passwordReset'],
  institution: [
    'institution.profile.updated',
    'institution.seal.uploaded',
    'institution.seal.removed',
    'institution.logo.uploaded',
    'institution.logo.removed',
  ],
  terminal: ['terminal.enrolled', 'terminal.revoked', 'terminal.keyReissued'],
  mail: ['mail.retried'],
};

export const AUDIT_ACTIONS: readonly string[] = Object.values(AUDIT_ACTION_FAMILIES).flat();
