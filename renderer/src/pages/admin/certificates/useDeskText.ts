import { useI18n } from 'vue-i18n';
import type { PostalAddress } from '@contract/certificates';
import { useFailureText } from '../../../composables/useFailureText';
import { useLocalizedName } from '../../../composables/useLocalizedName';

/** Texts shared by the certificate console screens: names by language, field error codes, envelope lines. */
export function useDeskText() {
  const { t } = useI18n();
  // A field's error code: the tracking number's and the certificate types' own texts come first.
  const { fieldText } = useFailureText({
    fieldKey: (code) =>
      code === 'mailOrder.trackingInvalid' ? 'adminCertificates.fieldErrors.trackingInvalid' : code.startsWith('certificateType.') ? code : undefined,
  });

  const nameOf = useLocalizedName();

  /** The address as it goes on the envelope, one line each (with the recipient). */
  function envelopeLines(address: PostalAddress, recipient: string): string[] {
    if (address.kind === 'domestic') {
      return [
        `〒${address.postalCode}`,
        `${address.prefecture}${address.line1}`,
        address.line2,
        t('adminCertificates.mail.honorific', { name: recipient }),
      ].filter((l) => l.trim() !== '');
    }
    return [recipient, ...address.lines, address.country.toUpperCase()].filter((l) => l.trim() !== '');
  }

  /** A YYYY-MM-DD date (Japan time) as the manual shows dates: YYYY/MM/DD. */
  const formatDay = (day: string | null) => (day ? day.replaceAll('-', '/') : '');

  return { nameOf, fieldText, envelopeLines, formatDay };
}
