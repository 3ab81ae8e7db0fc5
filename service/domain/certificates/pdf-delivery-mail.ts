/**
 * The mail to the recipient of a PDF送付 order, in the language the student chose for them: from
 * the university, naming the student and the certificates, with the download link, its expiry and
 * its download limit.
 */
import { formatExpiry, render, type MailParts } from '../i18n/mails.js';
import type { MailMessage } from '../model.js';
import type { LocalizedName } from '../registry/model.js';
import type { PdfDelivery } from './model.js';

export interface PdfDeliveryMailInput {
  delivery: Pick<PdfDelivery, 'recipient' | 'expiresAt' | 'maxDownloads'>;
  /** The university (大学情報). */
  institution: LocalizedName;
  /** The student's name as printed: kanji for a ja mail, roman letters (or kanji when none) for en. */
  student: LocalizedName;
  certificates: Array<{ typeName: LocalizedName; number: string }>;
  /** The download page with the token in its fragment. */
  url: string;
}

export function pdfDeliveryMail({ delivery, institution, student, certificates, url }: PdfDeliveryMailInput): MailMessage {
  const { recipient: r, maxDownloads } = delivery;
  const lang = r.language;
  const expiry = formatExpiry(new Date(delivery.expiresAt), lang);
  const list = certificates
    .map((c) => (lang === 'ja' ? `・${c.typeName.ja}(証明書番号 ${c.number})` : `- ${c.typeName.en} (certificate number ${c.number})`))
    .join('\n');
  const parts: MailParts =
    lang === 'ja'
      ? {
          subject: `【${institution.ja}】${student.ja}さんの証明書(PDF)の送付`,
          paragraphs: [
            `${r.organisation}\n${r.name} 様`,
            `${institution.ja}の学生 ${student.ja}さんの申請により、電子署名付きの証明書(PDF)をお送りします。以下のURLから証明書の有効性を確認し、PDFをダウンロードしてください。`,
            list,
            '{url}',
            `URLの有効期限:${expiry}\nダウンロード回数の上限:${maxDownloads}回`,
            '有効期限を過ぎた場合、ダウンロード回数が上限に達した場合、または証明書が失効した場合は、ダウンロードできません。',
          ],
        }
      : {
          subject: `[${institution.en}] Certificate (PDF) of ${student.en}`,
          paragraphs: [
            `${r.organisation}\n${r.name}`,
            `At the request of ${student.en}, a student of ${institution.en}, we send you the digitally signed certificate (PDF) below. Please open the following URL to check that it is valid and download the PDF.`,
            list,
            '{url}',
            `URL valid until: ${expiry}\nDownload limit: ${maxDownloads}`,
            'After the expiry, once the download limit is reached, or if the certificate is revoked, it can no longer be downloaded.',
          ],
        };
  return render(r.mail, lang, parts, url);
}
