/** 発送のお知らせ: the mail a student gets when staff ship a 郵送 order. */
import { formatExpiry, render, type MailParts } from '../i18n/mails.js';
import type { Language, MailMessage } from '../model.js';
import type { LocalizedName } from '../registry/model.js';

export interface ShippedLine {
  certificateNumber: string;
  typeName: LocalizedName;
  copies: number;
}

/** Subject 【証明書発行サービス】証明書を発送しました, in the recipient's language, with the tracking number. */
export function shippedMail(options: { to: string; language: Language; trackingNumber: string; shippedAt: Date; lines: ShippedLine[] }): MailMessage {
  const { language, trackingNumber, lines } = options;
  const when = formatExpiry(options.shippedAt, language);
  const list = lines
    .map((l) =>
      language === 'ja'
        ? `・${l.typeName.ja} ${l.copies}通(証明書番号 ${l.certificateNumber})`
        : `- ${l.typeName.en}, ${l.copies} ${l.copies === 1 ? 'copy' : 'copies'} (certificate number ${l.certificateNumber})`,
    )
    .join('\n');
  const parts: MailParts =
    language === 'ja'
      ? {
          subject: '【証明書発行サービス】証明書を発送しました',
          paragraphs: [
            `${when}に、郵送でお申し込みの証明書を発送しました。`,
            list,
            `追跡番号:${trackingNumber}`,
            '配達状況は、追跡番号で郵便・配送会社のウェブサイトから確認できます。',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Your certificates have been shipped',
          paragraphs: [
            `On ${when}, we shipped the certificates you requested by mail.`,
            list,
            `Tracking number: ${trackingNumber}`,
            "You can follow the delivery with the tracking number on the postal or courier service's website.",
          ],
        };
  return render(options.to, language, parts);
}
