/**
 * The mail a student gets after placing an order (証明書を発行): コンビニ — the 予約番号, its expiry,
 * the documents and how to print at a store; 学内印刷 — that it waits for a campus kiosk;
 * 郵送 — that it will be mailed to the address; PDF送付 — to whom the link was sent. ja / en by the
 * account's language.
 */
import { formatExpiry, render, type MailParts } from '../i18n/mails.js';
import type { Language, MailMessage } from '../model.js';
import type { LocalizedName } from '../registry/model.js';
import type { Destination, PdfDelivery, PostalAddress } from './model.js';
import type { OrderDetails } from './order-details.js';

export interface OrderMailLine {
  typeName: LocalizedName;
  language: Language;
  copies: number;
}

export interface OrderMailInput {
  to: string;
  language: Language;
  destination: Destination;
  lines: OrderMailLine[];
  totalFee: number;
  reservation: { number: string; expiresAt: Date } | null;
  address: PostalAddress | null;
  /** PDF送付: the recipient and the link's limits. */
  pdfDelivery: Pick<PdfDelivery, 'recipient' | 'expiresAt' | 'maxDownloads'> | null;
  /** The service's URL (the home page link). */
  url: string;
}

const LANGUAGE_NAMES: Record<Language, Record<Language, string>> = {
  ja: { ja: '日本語', en: '英語' },
  en: { ja: 'Japanese', en: 'English' },
};

/** The address as it goes on the envelope, one line per row. */
export function addressLines(address: PostalAddress): string[] {
  if (address.kind === 'domestic') return [`〒${address.postalCode}`, `${address.prefecture}${address.line1}`, ...(address.line2 ? [address.line2] : [])];
  return [...address.lines, address.country];
}

export function orderPlacedMail(input: OrderMailInput): MailMessage {
  const { language: lang, lines, reservation, address } = input;
  const ja = lang === 'ja';
  const documents = lines
    .map((l) =>
      ja
        ? `・${l.typeName.ja}(${LANGUAGE_NAMES.ja[l.language]})${l.copies}部`
        : `- ${l.typeName.en} (${LANGUAGE_NAMES.en[l.language]}), ${l.copies} ${l.copies === 1 ? 'copy' : 'copies'}`,
    )
    .join('\n');
  const fee = ja ? `合計金額:${input.totalFee.toLocaleString('ja-JP')}円` : `Total fee: ¥${input.totalFee.toLocaleString('en-US')}`;
  let parts: MailParts;
  if (input.destination === 'convenience' && reservation) {
    const expiry = formatExpiry(reservation.expiresAt, lang);
    parts = ja
      ? {
          subject: '【証明書発行サービス】予約番号のお知らせ',
          paragraphs: [
            'コンビニでの証明書の印刷を受け付けました。',
            `予約番号:${reservation.number}`,
            `有効期限:${expiry}`,
            `証明書:\n${documents}\n${fee}`,
            '印刷方法:コンビニのマルチコピー機で「行政サービス・証明書」から「証明書発行サービス」を選び、予約番号を入力して、料金を支払ってから印刷してください。有効期限を過ぎた予約番号では印刷できません。',
            '{url}',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Your reservation number',
          paragraphs: [
            'Your certificates are ready to print at a convenience store.',
            `Reservation number: ${reservation.number}`,
            `Valid until: ${expiry}`,
            `Certificates:\n${documents}\n${fee}`,
            'How to print: at the multi-copy machine of a convenience store, choose "Certificate Issuance Service", enter the reservation number, pay the fee and print. The number cannot be used after it expires.',
            '{url}',
          ],
        };
  } else if (input.destination === 'campus') {
    parts = ja
      ? {
          subject: '【証明書発行サービス】学内印刷の申請を受け付けました',
          paragraphs: [
            '学内印刷の申請を受け付けました。学内の証明書発行端末でログインし、「現在の申請一覧」から印刷してください。',
            `証明書:\n${documents}\n${fee}`,
            '{url}',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] On-campus printing requested',
          paragraphs: [
            'Your request for on-campus printing has been received. Log in at a certificate kiosk on campus and print it from "Current application list".',
            `Certificates:\n${documents}\n${fee}`,
            '{url}',
          ],
        };
  } else if (input.destination === 'pdf' && input.pdfDelivery) {
    const { recipient: r, expiresAt, maxDownloads } = input.pdfDelivery;
    const expiry = formatExpiry(new Date(expiresAt), lang);
    parts = ja
      ? {
          subject: '【証明書発行サービス】PDF送付の申請を受け付けました',
          paragraphs: [
            '証明書のPDFを以下の提出先にメールで送付しました。提出先はメールのリンクから電子署名付きのPDFをダウンロードできます。',
            `提出先:${r.organisation}
宛名:${r.name}
メールアドレス:${r.mail}`,
            `リンクの有効期限:${expiry}
ダウンロード回数の上限:${maxDownloads}回`,
            `証明書:
${documents}
${fee}`,
            '提出先が開いた日時とダウンロード回数は「申請一覧」で確認できます。',
            '{url}',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Certificate sent as PDF',
          paragraphs: [
            'Your certificates have been sent as a PDF to the recipient below. The recipient downloads the digitally signed PDF from the link in their mail.',
            `Submitted to: ${r.organisation}\nRecipient: ${r.name}\nMail address: ${r.mail}`,
            `Link valid until: ${expiry}\nDownload limit: ${maxDownloads}`,
            `Certificates:\n${documents}\n${fee}`,
            'You can see when the recipient opened the link and how many times it was downloaded in "Application list".',
            '{url}',
          ],
        };
  } else {
    const where = address ? addressLines(address).join('\n') : '';
    parts = ja
      ? {
          subject: '【証明書発行サービス】郵送の申請を受け付けました',
          paragraphs: [
            '郵送の申請を受け付けました。証明書は以下の住所に郵送します。発送しましたら改めてお知らせします。',
            `送付先:\n${where}`,
            `証明書:\n${documents}\n${fee}`,
            '{url}',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Mail delivery requested',
          paragraphs: [
            'Your request for delivery by mail has been received. The certificates will be mailed to the address below; we will tell you when they are shipped.',
            `Address:\n${where}`,
            `Certificates:\n${documents}\n${fee}`,
            '{url}',
          ],
        };
  }
  return render(input.to, lang, parts, input.url);
}

/** The mail for an order just placed, from its details (a type deleted since is named by its code). */
export function orderPlacedMailOf(details: OrderDetails, to: string, language: Language, url: string): MailMessage {
  const { order, lines, reservation, mailOrder, pdfDelivery } = details;
  return orderPlacedMail({
    to,
    language,
    destination: order.destination,
    lines: lines.map(({ certificate: c, type }) => ({ typeName: type?.name ?? { ja: c.typeCode, en: c.typeCode }, language: c.language, copies: c.copies })),
    totalFee: order.totalFee,
    reservation: reservation ? { number: reservation.number, expiresAt: new Date(reservation.expiresAt) } : null,
    address: mailOrder?.address ?? null,
    pdfDelivery,
    url,
  });
}
