/**
 * The certificate records' pure transitions (state-machines.ts) applied atomically through the
 * store's conditional updates: each record kind's guard is the stored state its transitions
 * depend on (see domain/conditional-update.ts).
 */
import { transition } from '../conditional-update.js';
import type { CampusJob, IssuedCertificate, MailOrder, Reservation } from './model.js';
import type { CertificateStore } from './store.js';

type Change<R> = (current: R) => R | null;

export const transitionCertificate = (store: Pick<CertificateStore, 'certificates'>, id: string, change: Change<IssuedCertificate>) =>
  transition(store.certificates, id, change, (c) => ({ status: c.status }));

export const transitionReservation = (store: Pick<CertificateStore, 'reservations'>, id: string, change: Change<Reservation>) =>
  transition(store.reservations, id, change, (r) => ({ status: r.status, updatedAt: r.updatedAt, reminderSentAt: r.reminderSentAt, claim: r.claim }));

export const transitionCampusJob = (store: Pick<CertificateStore, 'campusJobs'>, id: string, change: Change<CampusJob>) =>
  transition(store.campusJobs, id, change, (j) => ({ status: j.status, updatedAt: j.updatedAt, claim: j.claim }));

export const transitionMailOrder = (store: Pick<CertificateStore, 'mailOrders'>, id: string, change: Change<MailOrder>) =>
  transition(store.mailOrders, id, change, (m) => ({ status: m.status, updatedAt: m.updatedAt }));
