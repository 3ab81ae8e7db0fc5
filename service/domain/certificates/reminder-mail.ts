/** The reminder mail for a convenience-store reservation that expires within 24 hours. */
import { formatExpiry, render, type MailParts } from '../i18n/mails.js';
import type { Language, MailMessage } from '../model.js';

export function reservationReminderMail(options: { to: string; language: Language; number: string; expiresAt: Date; homeUrl: string }): MailMessage {
  const { language, number, expiresAt } = options;
  const expiry = formatExpiry(expiresAt, language);
  const parts: MailParts =
    language === 'ja'
      ? {
          subject: '【証明書発行サービス】コンビニ印刷の予約番号の有効期限が近づいています',
          paragraphs: [
            'コンビニエンスストアで印刷する証明書の予約番号の有効期限が近づいています。期限までに店舗のマルチコピー機で印刷してください。',
            `予約番号:${number}`,
            `有効期限:${expiry}`,
            '有効期限を過ぎると印刷できなくなります。その場合は、もう一度申請してください。申請の状況は以下のURLから確認できます。',
            '{url}',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Your convenience-store reservation number expires soon',
          paragraphs: [
            'The reservation number for printing your certificates at a convenience store expires soon. Please print them at a multi-copy machine in a store before it expires.',
            `Reservation number: ${number}`,
            `Expires: ${expiry}`,
            'After it expires the certificates can no longer be printed, and you will need to request them again. You can check your requests at the following URL:',
            '{url}',
          ],
        };
  return render(options.to, language, parts, options.homeUrl);
}
