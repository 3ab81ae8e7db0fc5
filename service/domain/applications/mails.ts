import { formatExpiry, render, type MailParts } from '../i18n/mails.js';
import type { Language, MailMessage } from '../model.js';
import type { ApplicationKind } from './model.js';

/** Manual §2.3 step 9: the mail with the one-time URL of the additional student ID form. */
export function studentIdLinkMail(options: { to: string; language: Language; url: string; expiresAt: Date; validMinutes: number }): MailMessage {
  const { language, url, expiresAt, validMinutes } = options;
  const expiry = formatExpiry(expiresAt, language);
  const parts: MailParts =
    language === 'ja'
      ? {
          subject: '【証明書発行サービス】学籍番号追加登録のご案内',
          paragraphs: [
            '学籍番号追加登録の申請用URLをお送りします。以下のURLにアクセスし、追加する学籍番号の在学時情報を入力して申請してください。',
            '{url}',
            `URLの有効期限:${validMinutes}分(${expiry}まで)`,
            '※URLには期限があります。期限内に申請を完了させてください。',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Additional registration of student ID number',
          paragraphs: [
            'Here is the URL for applying for an additional student ID number. Access the following URL, enter your information as of the time you were enrolled, and apply:',
            '{url}',
            `Due date for the URL: ${validMinutes} minutes (until ${expiry})`,
            '*The URL has an expiration time, so please complete the application within the time limit.',
          ],
        };
  return render(options.to, language, parts, url);
}

export type DecisionAction = 'approve' | 'reject' | 'resubmit';

/**
 * 利用申請結果のお知らせ / "Result of your application" (manual §2.3 step 14), naming the
 * student ID; with the reason for a rejection or a resubmission request, and for the latter
 * how to edit and send again (`url`: where to do it).
 */
export function applicationResultMail(options: {
  to: string;
  language: Language;
  kind: ApplicationKind;
  action: DecisionAction;
  studentId: string;
  reason: string | null;
  url: string;
}): MailMessage {
  const { language, kind, action, studentId, reason, url } = options;
  const ja = language === 'ja';
  const idLine = ja ? `学籍番号:${studentId}` : `Student ID number: ${studentId}`;
  const reasonLine = reason ? (ja ? `理由:\n${reason}` : `Reason:\n${reason}`) : null;
  const subject = ja ? '【証明書発行サービス】利用申請結果のお知らせ' : '[Certificate Issuance Service] Result of your application';

  let paragraphs: string[];
  if (kind === 'studentId') {
    paragraphs = {
      approve: ja
        ? [
            '学籍番号の追加登録が完了しました。以下の学籍番号を現在のアカウントへ追加しました。',
            idLine,
            '証明書を発行する際に、追加した学籍番号を選択できます。',
            '{url}',
          ]
        : [
            'The additional registration of your student ID number is complete. The following student ID number has been added to your current account.',
            idLine,
            'You can choose the added student ID number when you issue certificates.',
            '{url}',
          ],
      reject: ja
        ? ['学籍番号の追加登録の申請は承認されませんでした。', idLine, reasonLine!, 'ご不明な点は各事務担当までお問い合わせください。']
        : [
            'Your application for the additional registration of a student ID number was not approved.',
            idLine,
            reasonLine!,
            'If you have any questions, please contact your university office.',
          ],
      resubmit: ja
        ? [
            '学籍番号の追加登録の申請について、事務担当から再申請の依頼がありました。',
            idLine,
            reasonLine!,
            '証明書発行サービスにログインし、印刷先選択画面の「現在の申請一覧」で「編集して再申請」ボタンを押して、内容を修正のうえ再申請してください。',
            '{url}',
          ]
        : [
            'Your university office asks you to send your application for the additional registration of a student ID number again.',
            idLine,
            reasonLine!,
            'Log in to the Certificate Issuance Service, click "Edit and resend" under "Current application list" on the Select printing destination screen, correct the application and send it again.',
            '{url}',
          ],
    }[action];
  } else {
    paragraphs = {
      approve: ja
        ? ['卒業生としての利用申請が承認されました。登録したメールアドレス、パスワードおよび第2パスワードでログインできます。', idLine, '{url}']
        : [
            'Your application for access as a graduate has been approved. You can log in with your mail address, password and second password.',
            idLine,
            '{url}',
          ],
      reject: ja
        ? ['卒業生としての利用申請は承認されませんでした。', idLine, reasonLine!, 'ご不明な点は各事務担当までお問い合わせください。']
        : [
            'Your application for access as a graduate was not approved.',
            idLine,
            reasonLine!,
            'If you have any questions, please contact your university office.',
          ],
      resubmit: ja
        ? [
            '卒業生としての利用申請について、事務担当から再申請の依頼がありました。',
            idLine,
            reasonLine!,
            '以下のURLから、内容を修正のうえ再申請してください。',
            '{url}',
          ]
        : [
            'Your university office asks you to send your application for access as a graduate again.',
            idLine,
            reasonLine!,
            'Please correct the application and send it again at the following URL:',
            '{url}',
          ],
    }[action];
  }
  return render(options.to, language, { subject, paragraphs: paragraphs.filter((p): p is string => Boolean(p)) }, url);
}
