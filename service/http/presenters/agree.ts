/**
 * The contract declares its JSON types itself (the renderer imports it; it imports nothing but
 * the vocabulary of service/shared/, which the domain uses too).
 * Where a type is truly the same on both sides, these compile-time checks keep the contract's
 * copy and the domain's from drifting: `Agree<Equals<A, B>>` fails the typecheck otherwise.
 * Types only: nothing happens at run time.
 */
import type * as Api from '../../contract/api.js';
import type * as ApplicationsContract from '../../contract/applications.js';
import type * as CertificatesContract from '../../contract/certificates.js';
import type * as VerifyContract from '../../contract/verify.js';
import type * as Applications from '../../domain/applications/model.js';
import type * as Certificates from '../../domain/certificates/model.js';
import type { OrderStatus } from '../../domain/certificates/order-details.js';
import type { Language } from '../../domain/model.js';
import type { VerificationStatus } from '../../domain/verify/public-verification.js';

export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Agree<T extends true> = T;

export type ContractAgrees = [
  Agree<Equals<Api.Language, Language>>,
  // Certificates
  Agree<Equals<CertificatesContract.Destination, Certificates.Destination>>,
  Agree<Equals<CertificatesContract.CertificateTemplate, Certificates.CertificateTemplate>>,
  Agree<Equals<CertificatesContract.CertificateStatus, Certificates.CertificateStatus>>,
  Agree<Equals<CertificatesContract.CertificateType, Certificates.CertificateType>>,
  Agree<Equals<CertificatesContract.OrderItem, Certificates.OrderItem>>,
  Agree<Equals<CertificatesContract.OrderStatus, OrderStatus>>,
  Agree<Equals<VerifyContract.VerifyStatus, VerificationStatus>>,
  // Applications and graduates
  Agree<Equals<ApplicationsContract.ApplicationKind, Applications.ApplicationKind>>,
  Agree<Equals<ApplicationsContract.ApplicationStatus, Applications.ApplicationStatus>>,
];
