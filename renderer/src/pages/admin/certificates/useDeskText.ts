import { useI18n } from 'vue-i18n';
import type { PostalAddress } from '@contract/certificates';
import { useAdminFailure } from '../../../components/admin/useAdminFailure';
import { useLocalizedName } from '../../../composables/useLocalizedName';

/** Texts shared by the certificate console screens: names by language, field error codes, envelope lines. */
export function useDeskText() {
  const { t } = useI18n();
  const { fieldText: coreFieldText } = useAdminFailure();

  const nameOf = useLocalizedName();

  /** A field's error code as text: core codes, certificate type codes, the tracking number code. */
  function fieldText(code: string): string {
    if (code === 'mailOrder.trackingInvalid') return t('adminCertificates.fieldErrors.trackingInvalid');
    if (/^certificateType\.[A-Za-z]+$/.test(code)) return t(code);
    return coreFieldText(code);
  }

  /** The address as it goes on the envelope, one line each (with the recipient). */
  function envelopeLines(address: PostalAddress, recipient: string): string[] {
    if (address.kind === 'domestic') {
      return [`〒${address.postalCode}`, `${address.prefecture}${address.line1}`, address.line2, t('adminCertificates.mail.honorific', { name: recipient })].filter(
        (l) => l.trim() !== '',
      );
    }
    return [recipient, ...address.lines, address.country.toUpperCase()].filter((l) => l.trim() !== '');
  }

  /** A YYYY-MM-DD date (Japan time) as the manual shows dates: YYYY/MM/DD. */
  const formatDay = (day: string | null) => (day ? day.replaceAll('-', '/') : '');

  return { nameOf, fieldText, envelopeLines, formatDay };
}
