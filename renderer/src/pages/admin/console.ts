/**
 * The staff console in one chunk: every console screen, with the console's texts. Its routes
 * (routes/admin*.ts, routes/registry.ts) load it through `consolePage`; no student screen imports it.
 */
import { addLazyMessages } from '../../i18n';
import { consoleMessages } from '../../messages/console';

addLazyMessages(consoleMessages);

export { default as AdminLoginPage } from './AdminLoginPage.vue';
export { default as AdminQueuePage } from './AdminQueuePage.vue';
export { default as AdminApplicationPage } from './AdminApplicationPage.vue';
export { default as AdminAuditPage } from './AdminAuditPage.vue';
export { default as AdminStaffPage } from './AdminStaffPage.vue';
export { default as RegistryImportPage } from './RegistryImportPage.vue';
export { default as AdminCertificatesPage } from './certificates/AdminCertificatesPage.vue';
export { default as AdminCertificatePage } from './certificates/AdminCertificatePage.vue';
export { default as AdminMailOrdersPage } from './certificates/AdminMailOrdersPage.vue';
export { default as AdminCertificateTypesPage } from './certificates/AdminCertificateTypesPage.vue';
export { default as AdminInstitutionPage } from './institution/AdminInstitutionPage.vue';
export { default as AdminTerminalsPage } from './terminals/AdminTerminalsPage.vue';
export { default as AdminMailPage } from './mail/AdminMailPage.vue';
