import { formatExpiry, render, type MailParts } from '../i18n/mails.js';
import type { Language, MailMessage } from '../model.js';

/** Mails of graduate access (利用申請 without a campus account), in the recipient's language. */

const SUBJECT_PREFIX: Record<Language, string> = { ja: '【証明書発行サービス】', en: '[Certificate Issuance Service] ' };

const validity = (language: Language, validMinutes: number, expiresAt: Date) =>
  language === 'ja'
    ? `URLの有効期限:${validMinutes}分(${formatExpiry(expiresAt, language)}まで)`
    : `Due date for the URL: ${validMinutes} minutes (until ${formatExpiry(expiresAt, language)})`;

/** The one-time URL to the registration form (利用申請(新規登録)). */
export function registrationLinkMail(o: { to: string; language: Language; url: string; expiresAt: Date; validMinutes: number }): MailMessage {
  const parts: MailParts =
    o.language === 'ja'
      ? {
          subject: `${SUBJECT_PREFIX.ja}利用申請(新規登録)のご案内`,
          paragraphs: [
            '利用申請(新規登録)のためのURLをお送りします。以下のURLにアクセスし、在学時の情報、パスワードおよび第2パスワードを入力して申請してください。',
            '{url}',
            validity('ja', o.validMinutes, o.expiresAt),
            '申請後、事務担当が内容を確認します。結果はこのメールアドレスにお知らせします。',
          ],
        }
      : {
          subject: `${SUBJECT_PREFIX.en}Apply for access`,
          paragraphs: [
            'Here is the URL to apply for access. Open it and enter your information from your student days, a password and a second password to apply.',
            '{url}',
            validity('en', o.validMinutes, o.expiresAt),
            'After you apply, the university office checks your application. We will tell you the result at this mail address.',
          ],
        };
  return render(o.to, o.language, parts, o.url);
}

/**
 * Sent instead of the registration link when the address is registered already: the answer on
 * the screen is the same either way, so the screen never tells whether an address has an account.
 */
export function accountExistsMail(o: { to: string; language: Language; forgotUrl: string; loginUrl: string }): MailMessage {
  const parts: MailParts =
    o.language === 'ja'
      ? {
          subject: `${SUBJECT_PREFIX.ja}利用申請(新規登録)について`,
          paragraphs: [
            'このメールアドレスで利用申請(新規登録)の手続きが行われましたが、このメールアドレスは既に登録されています。新しく申請する必要はありません。',
            `ログイン画面(${o.loginUrl})から、メールアドレス、パスワードおよび第2パスワードを入力してログインしてください。`,
            'パスワードを忘れた場合は、以下のURLから再設定できます。',
            '{url}',
          ],
        }
      : {
          subject: `${SUBJECT_PREFIX.en}About your application for access`,
          paragraphs: [
            'Someone asked to apply for access with this mail address, but it is registered already. You do not need to apply again.',
            `Please log in on the login screen (${o.loginUrl}) with your mail address, password and second password.`,
            'If you forgot your password, you can reset it here:',
            '{url}',
          ],
        };
  return render(o.to, o.language, parts, o.forgotUrl);
}

/** The one-time URL to set a new password. */
export function resetLinkMail(o: { to: string; language: Language; url: string; expiresAt: Date; validMinutes: number }): MailMessage {
  const parts: MailParts =
    o.language === 'ja'
      ? {
          subject: `${SUBJECT_PREFIX.ja}パスワード再設定のご案内`,
          paragraphs: [
            'パスワードの再設定を受け付けました。以下のURLにアクセスし、新しいパスワードを設定してください。',
            '{url}',
            validity('ja', o.validMinutes, o.expiresAt),
            'パスワードを再設定すると、ログインの一時停止も解除されます。',
          ],
        }
      : {
          subject: `${SUBJECT_PREFIX.en}Reset your password`,
          paragraphs: [
            'We received a request to reset your password. Open the following URL and set a new password:',
            '{url}',
            validity('en', o.validMinutes, o.expiresAt),
            'Resetting your password also ends a pause of logins.',
          ],
        };
  return render(o.to, o.language, parts, o.url);
}

/** Sent instead of the reset link when no graduate account uses the address (the screen says the same either way). */
export function noAccountMail(o: { to: string; language: Language; applyUrl: string }): MailMessage {
  const parts: MailParts =
    o.language === 'ja'
      ? {
          subject: `${SUBJECT_PREFIX.ja}パスワード再設定のご案内`,
          paragraphs: [
            'このメールアドレスでパスワードの再設定が申し込まれましたが、このメールアドレスで登録された卒業生のアカウントはありません。',
            '在学生の方は、大学のアカウントでログインしてください。卒業生の方は、以下のURLから利用申請(新規登録)を行ってください。',
            '{url}',
          ],
        }
      : {
          subject: `${SUBJECT_PREFIX.en}Reset your password`,
          paragraphs: [
            'Someone asked to reset the password for this mail address, but no graduate account is registered with it.',
            'Students log in with their university account. Graduates can apply for access here:',
            '{url}',
          ],
        };
  return render(o.to, o.language, parts, o.applyUrl);
}

/** After a reset: tells the address, so that an unexpected change is noticed. */
export function passwordChangedMail(o: { to: string; language: Language; at: Date; secondPasswordChanged: boolean }): MailMessage {
  const when = formatExpiry(o.at, o.language);
  const parts: MailParts =
    o.language === 'ja'
      ? {
          subject: `${SUBJECT_PREFIX.ja}パスワードが変更されました`,
          paragraphs: [
            `${when}に、証明書発行サービスのパスワード${o.secondPasswordChanged ? 'と第2パスワード' : ''}が再設定されました。`,
            'この変更に心当たりがない場合は、至急、大学の事務担当までご連絡ください。',
          ],
        }
      : {
          subject: `${SUBJECT_PREFIX.en}Your password was changed`,
          paragraphs: [
            `On ${when}, ${o.secondPasswordChanged ? 'the password and the second password' : 'the password'} of your Certificate Issuance Service account ${o.secondPasswordChanged ? 'were' : 'was'} reset.`,
            'If you did not make this change, please contact your university office at once.',
          ],
        };
  return render(o.to, o.language, parts);
}
