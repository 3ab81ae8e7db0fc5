import type { ErrorCode } from '../errors.js';
import type { Language } from '../model.js';

/**
 * Messages for errors the service reports itself (API answers, server-rendered pages): one for
 * every code of service/shared/errors.ts, which the type enforces. The SPA words its screens'
 * texts itself, under `errors.<code>` in its locale files.
 */
const messages: Record<ErrorCode, Record<Language, string>> = {
  'auth.required': { ja: 'ログインしてください。', en: 'Please log in.' },
  'auth.mailRequired': {
    ja: '先にメールアドレスの設定を完了してください。',
    en: 'Please complete the mail address setting first.',
  },
  'auth.sessionExpired': {
    ja: '一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。',
    en: 'You were logged out after a period of inactivity. Please log in again.',
  },
  'csrf.invalid': {
    ja: '画面の有効期限が切れました。ページを再読み込みしてもう一度お試しください。',
    en: 'This page has expired. Please reload it and try again.',
  },
  'host.mismatch': {
    ja: 'このアドレスではサービスを利用できません。{url} から開いてください。',
    en: 'The service cannot be used at this address. Please open it at {url}.',
  },
  'validation.failed': { ja: '入力内容を確認してください。', en: 'Please check what you entered.' },
  'mail.mismatch': {
    ja: '「メールアドレス」と「確認」が一致しません。',
    en: 'The "Mail address" and "Check" fields do not match.',
  },
  'mail.invalid': {
    ja: 'メールアドレスの形式が正しくありません。半角英数字で入力してください。',
    en: 'This is not a valid mail address. Please use half-width characters.',
  },
  'mail.sameAsCurrent': {
    ja: '現在のメールアドレスと同じです。新しいメールアドレスを入力してください。',
    en: 'This is your current mail address. Please enter a new one.',
  },
  'mail.alreadyRegistered': {
    ja: 'このメールアドレスは既に登録されています。',
    en: 'This mail address is already registered.',
  },
  'mail.rateLimited': {
    ja: '確認メールの送信が続いています。{seconds}秒後にもう一度お試しください。',
    en: 'Too many confirmation mails. Please try again in {seconds} seconds.',
  },
  'token.unknown': {
    ja: 'このURLは無効です。メールに記載されたURLを正しく開いたか確認してください。',
    en: 'This URL is not valid. Please check that you opened the URL from the mail correctly.',
  },
  'token.expired': {
    ja: 'このURLの有効期限(30分)が切れています。新しい確認メールを送信してください。',
    en: 'This URL has expired (it is valid for 30 minutes). Please send a new confirmation mail.',
  },
  'token.used': {
    ja: 'このURLは既に使用されています。',
    en: 'This URL has already been used.',
  },
  'saml.invalid': {
    ja: '大学のログインサービスからの応答を確認できませんでした。もう一度ログインしてください。',
    en: "We could not verify the answer of the university's login service. Please log in again.",
  },
  'saml.relayState': {
    ja: 'ログイン後の移動先が正しくありません。',
    en: 'The page to return to after login is not valid.',
  },
  'saml.unbound': {
    ja: 'ログインを開始したブラウザと異なるため、ログインできませんでした。もう一度ログインしてください。',
    en: 'This login was started in another browser or has expired. Please log in again.',
  },
  'saml.notConfigured': {
    ja: 'ログインサービスが設定されていません。管理者にお問い合わせください。',
    en: 'No login service is configured. Please contact the administrator.',
  },
  'saml.rateLimited': {
    ja: 'この端末からのログインが短い時間に続いています。{seconds}秒後にもう一度ログインしてください。',
    en: 'Too many logins were started from this device in a short time. Please log in again in {seconds} seconds.',
  },
  'account.notFound': { ja: 'アカウントが見つかりません。', en: 'The account was not found.' },
  'application.alreadyDecided': {
    ja: 'この申請は既に処理されています。画面を再読み込みして、最新の状態を確認してください。',
    en: 'This application has already been decided. Please reload to see its current state.',
  },
  'application.reasonRequired': {
    ja: '否認または再申請依頼には理由を入力してください。',
    en: 'Please give a reason to reject or to request resubmission.',
  },
  'application.studentIdTaken': {
    ja: 'この学籍番号は既に別のアカウントに登録されているため、承認できません。',
    en: 'This student ID already belongs to another account, so the application cannot be approved.',
  },
  'application.notResubmittable': {
    ja: 'この申請は再申請できません。再申請依頼を受けた申請のみ編集して再申請できます。',
    en: 'This application cannot be sent again. Only applications with a resubmission request can be edited and sent again.',
  },
  'auth.forbidden': {
    ja: 'この操作を行う権限がありません。',
    en: 'You are not allowed to do this.',
  },
  'staff.loginFailed': {
    ja: 'ユーザー名またはパスワードが正しくありません。',
    en: 'The user name or the password is not correct.',
  },
  'staff.loginThrottled': {
    ja: 'ログインの失敗が続いています。{seconds}秒後にもう一度お試しください。',
    en: 'Several logins have failed. Please try again in {seconds} seconds.',
  },
  'staff.loginLocked': {
    ja: 'ログインの失敗が続いたため、このユーザー名でのログインを一時的に停止しました。{minutes}分後にもう一度お試しください。',
    en: 'Too many logins have failed, so logins with this user name are paused. Please try again in {minutes} minutes.',
  },
  'registry.previewStale': {
    ja: 'プレビューの後にファイルまたは学籍データが変わりました。もう一度プレビューしてから取り込んでください。',
    en: 'The file or the registry changed after the preview. Please preview again, then import.',
  },
  'registry.importInvalid': {
    ja: 'このファイルにはエラーがあるため取り込めません。プレビューでエラーを確認してください。',
    en: 'This file has errors and cannot be imported. Please check the errors in the preview.',
  },
  'graduate.loginFailed': {
    ja: 'メールアドレス、パスワードまたは第2パスワードが正しくありません。',
    en: 'The mail address, the password or the second password is not correct.',
  },
  'graduate.notApproved': {
    ja: '利用申請は現在審査中です。承認されるとメールでお知らせします。',
    en: 'Your application for access is being reviewed. We will tell you by mail when it is approved.',
  },
  'graduate.rejected': {
    ja: '利用申請は承認されませんでした。理由はお送りしたメールをご確認ください。ご不明な点は各事務担当までお問い合わせください。',
    en: 'Your application for access was not approved. The reason is in the mail we sent you. Please contact your university office with any questions.',
  },
  'graduate.tooManyAttempts': {
    ja: 'ログインの失敗が続いています。{seconds}秒後にもう一度お試しください。',
    en: 'Several logins have failed. Please try again in {seconds} seconds.',
  },
  'graduate.locked': {
    ja: 'ログインの失敗が続いたため、このメールアドレスでのログインを{minutes}分間停止しています。パスワードを忘れた場合は、パスワードの再設定を行ってください。',
    en: 'Too many logins failed, so logins with this mail address are paused for {minutes} minutes. If you forgot your password, please reset it.',
  },
  'graduate.alreadyRegistered': {
    ja: 'このメールアドレスは既に登録されています。ログインするか、パスワードの再設定を行ってください。',
    en: 'This mail address is already registered. Please log in, or reset your password.',
  },
  'order.empty': { ja: '証明書を1種類以上選択してください。', en: 'Please choose at least one certificate.' },
  'order.typeUnknown': {
    ja: 'この証明書は現在発行できません。',
    en: 'This certificate cannot be issued at present.',
  },
  'order.statusNotEligible': {
    ja: 'この学籍番号の在籍状況では、この証明書は発行できません。',
    en: 'This certificate cannot be issued for the enrollment status of this student ID.',
  },
  'order.graduationDateOutOfRange': {
    ja: '卒業見込みの時期が登録されていないか、発行できる期間ではないため、この証明書は発行できません。',
    en: 'This certificate cannot be issued: no expected graduation date is registered, or it is not yet within the period in which it can be issued.',
  },
  'order.languageNotOffered': {
    ja: 'この証明書は選択した言語では発行できません。',
    en: 'This certificate is not available in the selected language.',
  },
  'order.destinationNotAllowed': {
    ja: 'この証明書は選択した受け取り方法では発行できません。',
    en: 'This certificate cannot be issued with the selected way of receiving it.',
  },
  'order.copiesInvalid': { ja: '部数は1以上の整数で入力してください。', en: 'Please enter a number of copies of 1 or more.' },
  'order.copiesOverTypeLimit': {
    ja: 'この証明書は1回の申請で{limit}部まで発行できます。',
    en: 'Up to {limit} copies of this certificate can be issued per request.',
  },
  'order.copiesOverOrderLimit': {
    ja: '1回の申請で発行できるのは合計{limit}部までです。',
    en: 'Up to {limit} copies in total can be issued per request.',
  },
  'order.duplicateLine': {
    ja: '同じ証明書・言語の組み合わせが重複しています。部数をまとめて指定してください。',
    en: 'The same certificate and language are chosen twice. Please give the copies in one line.',
  },
  'reservation.numberExhausted': {
    ja: '予約番号を発行できませんでした。しばらくしてからもう一度お試しください。',
    en: 'A reservation number could not be issued. Please try again later.',
  },
  'order.studentNotOwned': { ja: 'この学籍番号の証明書は発行できません。', en: 'Certificates cannot be issued for this student ID.' },
  'order.issueFailed': {
    ja: '証明書を発行できませんでした。申請は行われていません。しばらくしてからもう一度お試しください。',
    en: 'The certificates could not be issued, and nothing was ordered. Please try again later.',
  },
  'order.studentUnknown': {
    ja: 'この学籍番号の学籍情報が見つかりません。教務課にお問い合わせください。',
    en: 'No registry record was found for this student ID. Please contact the registrar.',
  },
  'reservation.notFound': { ja: '予約番号が見つかりません。番号をご確認ください。', en: 'The reservation number was not found. Please check the number.' },
  'reservation.alreadyPrinted': { ja: 'この予約番号の証明書は印刷済みです。', en: 'The certificates of this reservation number have already been printed.' },
  'reservation.expired': {
    ja: 'この予約番号は有効期限が切れています。もう一度申請してください。',
    en: 'This reservation number has expired. Please request the certificates again.',
  },
  'reservation.cancelled': { ja: 'この予約番号は取り消されています。', en: 'This reservation number has been cancelled.' },
  'reservation.busy': {
    ja: 'この予約番号は別の端末で印刷中です。しばらくしてからもう一度お試しください。',
    en: 'This reservation number is being printed on another terminal. Please try again later.',
  },
  'reservation.claimLost': { ja: '印刷の受付が無効になりました。もう一度お試しください。', en: 'The print was no longer current. Please try again.' },
  'campus.kioskOnly': { ja: '学内印刷は学内の証明書発行端末でのみ行えます。', en: 'Campus printing is only possible at a campus certificate kiosk.' },
  'campus.notFound': { ja: '学内印刷の申請が見つかりません。', en: 'The campus print request was not found.' },
  'campus.alreadyPrinted': { ja: 'この申請の証明書は印刷済みです。', en: 'The certificates of this request have already been printed.' },
  'campus.cancelled': { ja: 'この申請は取り消されています。', en: 'This request has been cancelled.' },
  'campus.busy': {
    ja: 'この申請は別の端末で印刷中です。しばらくしてからもう一度お試しください。',
    en: 'This request is being printed on another kiosk. Please try again later.',
  },
  'campus.claimLost': { ja: '印刷の受付が無効になりました。もう一度お試しください。', en: 'The print was no longer current. Please try again.' },
  'campus.printFailed': { ja: '印刷できませんでした。もう一度お試しください。', en: 'Printing failed. Please try again.' },
  'store.rateLimited': {
    ja: '予約番号の入力回数が上限に達しました。{seconds}秒後にもう一度お試しください。',
    en: 'Too many reservation numbers were entered. Please try again in {seconds} seconds.',
  },
  'verify.rateLimited': {
    ja: '確認の回数が上限に達しました。{seconds}秒後にもう一度お試しください。',
    en: 'Too many checks. Please try again in {seconds} seconds.',
  },
  'certificate.notFound': {
    ja: '証明書が見つかりません。証明書番号をご確認ください。',
    en: 'The certificate was not found. Please check the certificate number.',
  },
  'certificate.alreadyRevoked': { ja: 'この証明書はすでに失効しています。', en: 'This certificate has already been revoked.' },
  'certificate.timestampUnavailable': {
    ja: '時刻認証局に接続できないため、PDFの証明書を発行できませんでした。申請は行われていません。しばらくしてからもう一度お試しください。',
    en: 'The PDF certificate could not be issued because the time-stamping authority could not be reached, and nothing was ordered. Please try again later.',
  },
  'mailOrder.notFound': { ja: '郵送の申請が見つかりません。', en: 'The mail order was not found.' },
  'delivery.notFound': {
    ja: 'このリンクは無効です。メールに記載されたURLをご確認ください。',
    en: 'This link is not valid. Please check the URL in the mail.',
  },
  'delivery.expired': {
    ja: 'このリンクは有効期限が切れています。証明書はダウンロードできません。',
    en: 'This link has expired. The certificate can no longer be downloaded.',
  },
  'delivery.exhausted': {
    ja: 'このリンクのダウンロード回数が上限に達しました。証明書はダウンロードできません。',
    en: 'This link has reached its download limit. The certificate can no longer be downloaded.',
  },
  'delivery.revoked': {
    ja: 'この証明書は失効しています。ダウンロードできません。',
    en: 'This certificate has been revoked. It cannot be downloaded.',
  },
  'delivery.rateLimited': {
    ja: 'アクセスの回数が上限に達しました。{seconds}秒後にもう一度お試しください。',
    en: 'Too many requests. Please try again in {seconds} seconds.',
  },
  'tsa.rateLimited': {
    ja: 'この端末からの時刻認証の要求が短い時間に続いています。{seconds}秒後にもう一度お試しください。',
    en: 'Too many time-stamp requests from this device in a short time. Please try again in {seconds} seconds.',
  },
  'mailOrder.alreadyShipped': { ja: 'この郵送の申請はすでに発送済みです。', en: 'This mail order has already been shipped.' },
  'mailOrder.cancelled': { ja: 'この郵送の申請は取り消されています。', en: 'This mail order has been cancelled.' },
  'certificateType.notFound': { ja: 'この証明書の種類は見つかりません。', en: 'This certificate type was not found.' },
  'certificateType.inUse': {
    ja: 'この種類の証明書は発行されたことがあるため削除できません。申請の受付を止めるには「廃止」を使ってください。',
    en: 'Certificates of this type have been issued, so it cannot be deleted. To stop accepting requests, retire it instead.',
  },
  'service.notOpen': {
    ja: 'このサービスはまだ利用を開始していません。開始までお待ちください。',
    en: 'This service has not opened yet. Please wait until it opens.',
  },
  'institution.imageInvalid': {
    ja: '画像を読み取れませんでした。PNG または SVG のファイルを選んでください。',
    en: 'The image could not be read. Please choose a PNG or SVG file.',
  },
  'institution.imageType': { ja: 'PNG または SVG の画像を選んでください。', en: 'Please choose a PNG or SVG image.' },
  'institution.imageTooLarge': {
    ja: '画像が大きすぎます。{megabytes} MB 以下のファイルを選んでください。',
    en: 'The image is too large. Please choose a file of at most {megabytes} MB.',
  },
  'institution.imageTooSmall': {
    ja: '画像が小さすぎます。縦横とも {pixels} ピクセル以上の画像を選んでください。',
    en: 'The image is too small. Please choose an image of at least {pixels} pixels in each direction.',
  },
  'institution.imageEmpty': { ja: '画像に何も描かれていません(すべて透明か白です)。', en: 'The image shows nothing (it is all transparent or white).' },
  'terminal.notFound': { ja: 'この端末は見つかりません。', en: 'This terminal was not found.' },
  'terminal.nameTaken': {
    ja: 'この名称の端末はすでに登録されています。別の名称にしてください。',
    en: 'A terminal with this name is already enrolled. Please choose another name.',
  },
  'terminal.notEnrolled': {
    ja: 'この端末は登録されていないか、登録が取り消されています。管理者に端末の鍵を発行してもらってください。',
    en: 'This terminal is not enrolled, or its enrolment was revoked. Ask an administrator to issue a key for it.',
  },
  'shareLink.notFound': {
    ja: 'この共有リンクは見つかりません。リンクのアドレスを最後まで正しく開いたかご確認ください。',
    en: 'This share link was not found. Please check that you opened the whole address of the link.',
  },
  'shareLink.revoked': {
    ja: 'この共有リンクは証明書の所有者によって無効にされました。証明書は表示できません。',
    en: 'This share link was revoked by the holder of the certificate. The certificate cannot be shown.',
  },
  'shareLink.expired': {
    ja: 'この共有リンクは有効期限が切れています。証明書は表示できません。',
    en: 'This share link has expired. The certificate cannot be shown.',
  },
  'shareLink.certificateRevoked': {
    ja: 'この証明書は大学によって失効されています。共有リンクは使用できません。',
    en: 'This certificate has been revoked by the university. The share link can no longer be used.',
  },
  'shareLink.pinRequired': { ja: 'PINを入力してください。', en: 'Please enter the PIN.' },
  'shareLink.pinWrong': { ja: 'PINが正しくありません。', en: 'The PIN is not correct.' },
  'shareLink.pinLocked': {
    ja: 'PINの誤りが続いたため、このリンクは一時的にロックされています。{minutes}分後にもう一度お試しください。',
    en: 'After too many wrong PINs this link is locked for now. Please try again in {minutes} minutes.',
  },
  'shareLink.rateLimited': {
    ja: '短時間に多くのアクセスがありました。{seconds}秒後にもう一度お試しください。',
    en: 'Too many requests in a short time. Please try again in {seconds} seconds.',
  },
  'shareLink.tooMany': {
    ja: 'この証明書の有効な共有リンクは{max}件までです。不要なリンクを無効にしてから作成してください。',
    en: 'A certificate can have at most {max} active share links. Please revoke one you no longer need first.',
  },
  'shareLink.documentMissing': {
    ja: '証明書のPDFが見つかりません。大学の担当窓口にお問い合わせください。',
    en: 'The PDF of the certificate was not found. Please contact the university office.',
  },
  notFound: { ja: 'ページが見つかりません。', en: 'The page was not found.' },
  internal: {
    ja: 'システムエラーが発生しました。しばらくしてからもう一度お試しください。',
    en: 'A system error occurred. Please try again later.',
  },
};

export function errorMessage(code: ErrorCode, language: Language, params: Record<string, string | number> = {}): string {
  const template = messages[code][language];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
