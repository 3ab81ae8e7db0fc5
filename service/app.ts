import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { loadCertificateTypes } from './adapters/files/certificate-types.js';
import { DevMailbox } from './adapters/mail/dev-mailbox.js';
import { createSmtpMailer } from './adapters/mail/smtp-mailer.js';
import { loadIdpMetadata } from './adapters/saml/metadata.js';
import { handOffKeyOf, loadSpKeys } from './adapters/saml/keys.js';
import { createSamlIdentityProvider } from './adapters/saml/samlify-idp.js';
import { resvgNormalizer } from './adapters/images/resvg-normalizer.js';
import { countPdfPages } from './adapters/pdf/page-count.js';
import { SimulatedStorePrintProvider } from './adapters/print/simulated-store.js';
import type { Config } from './config.js';
import { createAccountService } from './domain/accounts.js';
import { createStoreTerminal } from './domain/certificates/store-terminal.js';
import { systemClock, systemRandom } from './domain/crypto.js';
import { createLoginService } from './domain/login.js';
import { DomainError } from './domain/errors.js';
import { createMailService } from './domain/mail-verification.js';
import { RateLimit } from './domain/rate-limits.js';
import type { Clock, Mailer, Random } from './domain/ports.js';
import { createSessionService } from './domain/sessions.js';
import type { Stores } from './domain/stores.js';
import { createDemoIdp, demoIdpRoutes } from './demo/demo-idp.js';
import { createApplicationsFeature } from './features/applications.js';
import { createCertificatesFeature } from './features/certificates.js';
import { createShareLinksFeature } from './features/share-links.js';
import { createGraduatesFeature } from './features/graduates.js';
import { createRegistryFeature } from './features/registry.js';
import { createStaffFeature } from './features/staff.js';
import { createInstitutionFeature } from './features/institution.js';
import { createTerminalsFeature } from './features/terminals.js';
import { signingWith } from './domain/institution/mail-signature.js';
import { createMailDelivery } from './domain/mail/delivery.js';
import { createMailOutboxWorker, outboxMailer } from './domain/mail/outbox-worker.js';
import type { AppDeps } from './http/deps.js';
import { accessLog } from './http/middleware/access-log.js';
import { csrfProtection, SAFE_METHODS } from './http/middleware/csrf.js';
import { errorHandler } from './http/middleware/errors.js';
import { pipeline } from './http/middleware/pipeline.js';
import { publicHostGuard } from './http/middleware/public-host.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { sessionCookies } from './http/middleware/session.js';
import { terminalProof } from './http/middleware/terminal.js';
import { apiRoutes } from './http/routes/api.js';
import { devMailboxRoutes } from './http/routes/dev-mailbox.js';
import { samlRoutes } from './http/routes/saml.js';
import { DEMO_TSA_RATE_LIMIT, tsaRoutes } from './http/routes/tsa.js';
import { publicCredentialRoutes } from './http/routes/credentials.js';
import { spaRoutes } from './http/spa.js';
import { rendererDir } from './paths.js';
import { openStores } from './stores.js';
import { asciiName, openCertificateSigning } from './certificate-signing.js';
import { openTimestamping } from './timestamping.js';
import { createLogger } from './logging.js';

export interface AppOverrides {
  clock?: Clock;
  random?: Random;
  mailer?: Mailer;
  logger?: Logger;
}

export interface ShomeiApp {
  app: Express;
  deps: AppDeps;
  /** Every store port, as opened for this app (tools and tests look at the records through them). */
  stores: Stores;
  close(): Promise<void>;
}

/**
 * The composition root: config → adapters (the stores through service/stores.ts) → domain →
 * routes. Nothing else opens an adapter. Does not listen (see server.ts).
 */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<ShomeiApp> {
  const ownLogger = overrides.logger ? null : createLogger(config);
  const logger = overrides.logger ?? ownLogger!.logger;
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? systemRandom;
  const { stores, locks, sharedKeys } = await openStores(config, { clock, random, onError: (err, what) => logger.error({ err }, what) });
  const { store, audit } = stores;

  const devMailbox = !overrides.mailer && !config.mail.smtpUrl ? await DevMailbox.open(config.dataDir, clock, { from: config.mail.from }) : null;
  const transport: Mailer = overrides.mailer ?? (config.mail.smtpUrl ? createSmtpMailer(config.mail.smtpUrl, config.mail.from) : devMailbox!);
  // Requests never wait for the transport: mails go to the outbox with their change, and this
  // worker (on every instance) sends them after, retrying with backoff.
  const mailWorker = createMailOutboxWorker({ outbox: stores.mailOutbox, transport, clock, random, logger });

  // The demo IdP runs only in demo mode without a real IdP (config refuses it in production).
  const demoIdp = config.saml.idpMetadata === null ? await createDemoIdp(config, sharedKeys) : null;
  const idpMetadataXml = config.saml.idpMetadata ? await loadIdpMetadata(config.saml.idpMetadata) : demoIdp!.metadataXml;
  const spKeys = await loadSpKeys(config, sharedKeys);
  const idp = createSamlIdentityProvider({ config, spKey: spKeys.key, spCert: spKeys.cert, idpMetadataXml, clock });

  const sessions = createSessionService({ store, clock, random, policy: { ...config.session, touchEverySeconds: 60 } });
  const accounts = createAccountService({ store, clock, random });
  // Features seed what an empty install needs (demo data, the demo staff): instances starting at
  // once on one database do it one after the other, so that only the first seeds.
  const { institution, mailer, registry, applications, graduates, staff, certificates, terminals, timestamping } = await locks.exclusive('start', async () => {
    const institution = await createInstitutionFeature({ config, clock, audit, stores, normalizer: resvgNormalizer });
    const mailer = outboxMailer({
      clock,
      random,
      domain: new URL(config.publicUrl).hostname,
      // Every mail ends with the institution's name and contact.
      prepare: signingWith(() => institution.profile()),
      enqueued: () => mailWorker.wake(),
    });
    const ctx = { config, logger, stores, locks, clock, random, mailer, accounts, audit };
    const registry = await createRegistryFeature(ctx);
    const applications = createApplicationsFeature({ ...ctx, registry });
    const graduates = createGraduatesFeature({ ...ctx, applications });
    const staff = await createStaffFeature(ctx);
    const timestamping = await openTimestamping({
      config,
      clock,
      logger,
      sharedKeys,
      demoName: async () => asciiName((await institution.profile())?.name.en ?? ''),
    });
    const signing = await openCertificateSigning({ config, clock, logger, institution, sharedKeys, timestamps: timestamping.authority });
    const certificates = await createCertificatesFeature({ ...ctx, registry, institution, signing, typeTemplate: () => loadCertificateTypes() });
    const terminals = await createTerminalsFeature(ctx);
    return { institution, mailer, registry, applications, graduates, staff, certificates, terminals, timestamping };
  });
  // The simulated convenience store's printer (a real store's provider would be built here instead).
  const storeTerminal = createStoreTerminal({
    provider: new SimulatedStorePrintProvider(certificates.reservationPrinting, clock),
    store: stores.certificates,
    clock,
    rateLimits: stores.rateLimits,
    countPages: countPdfPages,
  });
  const deps: AppDeps = {
    config,
    logger,
    clock,
    random,
    idp,
    sessions,
    sessionCookies: sessionCookies(sessions, { secure: config.secureCookies }),
    accounts,
    mail: createMailService({
      store,
      transaction: (work) => stores.transaction(work),
      mailer,
      clock,
      random,
      confirmUrl: (token) => `${config.publicUrl}/mail/confirm#token=${token}`,
    }),
    login: createLoginService({ store, transaction: (work) => stores.transaction(work), idp, clock, random, handOffKey: handOffKeyOf(spKeys.key) }),
    // Starting a login signs a request (RSA) for anyone who asks. A browser needs one per sign-in;
    // SAML_LOGIN_LIMIT a minute per client leaves room for a campus NAT or a busy kiosk.
    samlLoginStarts: new RateLimit(stores.rateLimits, clock, 'saml-login', { limit: config.saml.loginsPerMinute, windowSeconds: 60 }, 'saml.rateLimited'),
    devMailbox,
    mailer,
    mailDelivery: createMailDelivery({ outbox: stores.mailOutbox, transaction: (work) => stores.transaction(work), mailer, clock }),
    audit,
    registry,
    applications,
    graduates,
    staff,
    institution,
    certificates,
    shareLinks: createShareLinksFeature({ config, logger, stores, locks, clock, random, mailer, accounts, audit }),
    storeTerminal,
    terminals,
  };

  const app = express();
  app.disable('x-powered-by');
  // No ETag on what res.send answers (the API's JSON, no-store anyway, and downloads): it hashed
  // every body for a header no client revalidates with. A function that names none, rather than
  // `false`: Express hands the setting's truthiness on to sendFile, so pages keep their ETag.
  app.set('etag', () => undefined);
  app.set('trust proxy', config.trustProxy);
  const headers = securityHeaders({ secure: config.secureCookies });
  // First, before any other work: a probe every few seconds needs none of it (it still gets the
  // security headers every response carries).
  app.get('/healthz', (_req, res) => {
    headers.set(res);
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  // Only requests that may change state carry a body and need the CSRF check: a GET, HEAD or
  // OPTIONS goes straight on (no handler of theirs reads a body).
  const writes = express.Router();
  writes.use(express.json({ limit: '64kb' }));
  // SAML responses arrive form-encoded and can be large.
  writes.use(express.urlencoded({ extended: false, limit: '1mb' }));
  writes.use(
    csrfProtection({
      publicOrigin: new URL(config.publicUrl).origin,
      // Signed SAML messages from the IdP: cross-site by nature, verified by signature and InResponseTo.
      // The demo time-stamping authority answers anyone (RFC 3161 clients send no token) and changes nothing.
      exempt: ['/saml/acs', '/saml/logout', '/tsa'],
      // The staff console checks its own session's token (service/http/routes/admin.ts).
      exemptPrefixes: ['/api/admin/'],
    }),
  );
  // What every other request goes through, in this order, as one handler.
  app.use(
    pipeline(
      accessLog(app, logger, ownLogger?.access),
      headers.middleware,
      // Before the session: an anonymous visitor's session takes its kiosk flag from the terminal proof.
      terminalProof(terminals),
      deps.sessionCookies.middleware,
      publicHostGuard(config.publicUrl),
      (req, res, next) => (SAFE_METHODS.has(req.method) ? next() : writes(req, res, next)),
    ),
  );
  app.use('/api', apiRoutes(deps));
  app.use('/saml', samlRoutes(deps));
  app.use('/credentials', publicCredentialRoutes(deps));
  if (demoIdp) app.use('/demo-idp', demoIdpRoutes(demoIdp, deps));
  if (devMailbox) app.use('/dev/mailbox', devMailboxRoutes(devMailbox));
  if (timestamping.local) {
    const tsaLimit = new RateLimit(stores.rateLimits, clock, 'demo-tsa', DEMO_TSA_RATE_LIMIT, 'tsa.rateLimited');
    app.use(
      '/tsa',
      tsaRoutes(timestamping.local, (client) => tsaLimit.hit(client)),
    );
  }
  app.use(spaRoutes(rendererDir));
  app.use((_req, _res, next) => next(new DomainError('notFound')));
  app.use(errorHandler);

  mailWorker.start();

  return {
    app,
    deps,
    stores,
    async close() {
      await mailWorker.close();
      await certificates.close();
      await stores.close();
      ownLogger?.flush();
    },
  };
}
