/**
 * Reservation upkeep: the reminder mail 24 hours before a convenience-store
 * reservation expires, and marking expired reservations. Each reminder is recorded on the
 * reservation (atomic transition), enqueued in the mail outbox and audited in one transaction:
 * two runs never send it twice, and one that fails leaves the reminder due for the next run
 * (logged; it does not stop the run).
 */
import type { AuditEntry, AuditLog } from '../audit.js';
import type { Logger, TransactionalMailer } from '../ports.js';
import type { UnitOfWork } from '../stores.js';
import type { Reservation } from './model.js';
import type { CertificateStore } from './store.js';
import { reservationStatusAt } from './state-machines.js';
import { dueForReminder, expireReservations } from './reservation-records.js';
import { transitionReservation } from './transitions.js';
import { reservationReminderMail } from './reminder-mail.js';

/** Hours before expiry the reminder is due. */
export const REMINDER_HOURS_BEFORE_EXPIRY = 24;

export interface ReservationMaintenanceDeps {
  store: Pick<CertificateStore, 'reservations'>;
  transaction: UnitOfWork['transaction'];
  mailer: TransactionalMailer;
  audit: Pick<AuditLog, 'append'>;
  logger: Logger;
  /** Where the mail sends the student (the home page with the order lists). */
  homeUrl: string;
  withinHours?: number;
}

export interface ReminderOutcome {
  reservationId: string;
  number: string;
  /** sent (enqueued in the outbox), failed (not recorded: due again at the next run), noAddress (the account has no verified mail). */
  result: 'sent' | 'failed' | 'noAddress';
}

export interface ReservationMaintenance {
  /** Reminds every reservation due at `now` once; returns what happened to each. */
  sendDueReminders(now: Date): Promise<ReminderOutcome[]>;
  /** Marks reservations past their expiry `expired` (one audit entry each); returns them. */
  expire(now: Date): Promise<Reservation[]>;
  /** Both, expiry first; errors are logged, never thrown. */
  run(now: Date): Promise<void>;
}

const SYSTEM: AuditEntry['actor'] = { type: 'system', id: 'reservation-maintenance', name: 'reservation-maintenance' };

export function createReservationMaintenance(deps: ReservationMaintenanceDeps): ReservationMaintenance {
  const { store, transaction, mailer, audit, logger } = deps;
  const withinHours = deps.withinHours ?? REMINDER_HOURS_BEFORE_EXPIRY;

  async function remind(due: Reservation, now: Date): Promise<ReminderOutcome | null> {
    const at = now.toISOString();
    try {
      return await transaction(async (tx) => {
        // Claim the reminder first: only the run whose transition succeeds mails it.
        const marked = await transitionReservation(tx.certificates, due.id, (current) =>
          current.reminderSentAt === null && reservationStatusAt(current, at) === 'reserved' ? { ...current, reminderSentAt: at, updatedAt: at } : null,
        );
        if (!marked) return null;
        const account = await tx.store.accounts.get(marked.accountId);
        const result: ReminderOutcome['result'] = account?.mail ? 'sent' : 'noAddress';
        if (account?.mail) {
          await mailer.within(tx).send(
            reservationReminderMail({
              to: account.mail,
              language: account.language,
              number: marked.number,
              expiresAt: new Date(marked.expiresAt),
              homeUrl: deps.homeUrl,
            }),
          );
        }
        await tx.audit.append({
          at,
          actor: SYSTEM,
          action: 'certificate.reservation.reminded',
          target: { type: 'reservation', id: marked.id },
          before: { reminderSentAt: null },
          after: { reminderSentAt: at, expiresAt: marked.expiresAt, mail: result },
          note: null,
        });
        return { reservationId: marked.id, number: marked.number, result };
      });
    } catch (err) {
      logger.error({ err, reservationId: due.id }, 'reservation reminder failed: it stays due for the next run');
      return { reservationId: due.id, number: due.number, result: 'failed' };
    }
  }

  const maintenance: ReservationMaintenance = {
    async sendDueReminders(now) {
      const due = await dueForReminder(store.reservations, now.toISOString(), withinHours);
      const outcomes: ReminderOutcome[] = [];
      for (const reservation of due) {
        const outcome = await remind(reservation, now);
        if (outcome) outcomes.push(outcome);
      }
      if (outcomes.some((o) => o.result === 'sent')) mailer.wake();
      if (outcomes.length > 0) logger.info({ reminders: outcomes.length }, 'reservation reminders sent');
      return outcomes;
    },

    async expire(now) {
      const at = now.toISOString();
      const expired = await expireReservations(store.reservations, at);
      for (const r of expired) {
        await audit.append({
          at,
          actor: SYSTEM,
          action: 'certificate.reservation.expired',
          target: { type: 'reservation', id: r.id },
          before: { status: 'reserved' },
          after: { status: r.status, expiresAt: r.expiresAt },
          note: null,
        });
      }
      return expired;
    },

    async run(now) {
      try {
        await maintenance.expire(now);
      } catch (err) {
        logger.error({ err }, 'expiring reservations failed');
      }
      try {
        await maintenance.sendDueReminders(now);
      } catch (err) {
        logger.error({ err }, 'sending reservation reminders failed');
      }
    },
  };
  return maintenance;
}
