import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AccountService } from '../domain/accounts.js';
import type { LoginService } from '../domain/login.js';
import type { MailService } from '../domain/mail-verification.js';
import type { RateLimit } from '../domain/rate-limits.js';
import type { MailDelivery } from '../domain/mail/delivery.js';
import type { Clock, IdentityProvider, Random, TransactionalMailer } from '../domain/ports.js';
import type { AuditLog } from '../domain/audit.js';
import type { ApplicationService } from '../features/applications.js';
import type { GraduateService } from '../features/graduates.js';
import type { RegistryService } from '../features/registry.js';
import type { StaffService } from '../features/staff.js';
import type { CertificateService } from '../features/certificates.js';
import type { ShareLinkService } from '../domain/share-links/service.js';
import type { StoreTerminal } from '../domain/certificates/store-terminal.js';
import type { InstitutionService } from '../domain/institution/service.js';
import type { SessionService } from '../domain/sessions.js';
import type { TerminalService } from '../domain/terminals/service.js';
import type { DevMailboxReader } from './routes/dev-mailbox.js';
import type { SessionCookies } from './middleware/session.js';

/** Everything the HTTP layer may use, wired once by `service/app.ts`: services and ports, never an adapter's factory. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  random: Random;
  idp: IdentityProvider;
  sessions: SessionService;
  sessionCookies: SessionCookies;
  accounts: AccountService;
  mail: MailService;
  login: LoginService;
  /** Starts of a SAML login per client (SAML_LOGIN_LIMIT a minute → `saml.rateLimited`). */
  samlLoginStarts: RateLimit;
  /** Present in demo mode when SMTP_URL is unset. */
  devMailbox: DevMailboxReader | null;
  /** Enqueues in the mail outbox (also inside a transaction); a worker sends after. */
  mailer: TransactionalMailer;
  /** Mails that failed or wait too long, for staff to see and send again. */
  mailDelivery: MailDelivery;
  audit: AuditLog;
  registry: RegistryService;
  applications: ApplicationService;
  graduates: GraduateService;
  staff: StaffService;
  /** 大学情報: the profile, seal and logo. */
  institution: InstitutionService;
  /** Certificates: store, offline key, public verification (/api/verify), the setup checklist. */
  certificates: CertificateService;
  /** Holders' share links of their certificates, and the public page behind them. */
  shareLinks: ShareLinkService;
  /** The convenience-store printer behind /api/store. */
  storeTerminal: StoreTerminal;
  /** 端末: enrolled campus terminals and their proofs. */
  terminals: TerminalService;
}
