/**
 * Rules for a graduate's password and second password (第2パスワード), as one pure module: the
 * service is the authority, the renderer runs the same checks before 確認 so that the applicant
 * sees the same messages at once. No Node, zod or express imports (the renderer bundles it).
 *
 * Passwords are compared after NFKC normalisation, as `hashPassword` stores them: a password
 * typed with a full-width IME is the same password typed half-width.
 */

export const PASSWORD_MIN = 12;
export const SECOND_PASSWORD_MIN = 8;
/** Longest secret accepted (scrypt does not care; request size does). */
export const SECRET_MAX = 128;
/** A mail local part shorter than this is too common a string to forbid. */
const LOCAL_PART_MIN = 3;

export type SecretField = 'password' | 'passwordConfirm' | 'secondPassword' | 'secondPasswordConfirm';

/** The four secret fields as typed. */
export type SecretsInput = Record<SecretField, string>;

/** Field error codes of the secret fields (besides `required` and `tooLong`). */
export type SecretErrorCode =
  | 'password.tooShort'
  | 'password.lettersAndDigits'
  | 'password.containsMail'
  | 'password.mismatch'
  | 'password.sameAsSecond'
  | 'secondPassword.tooShort'
  | 'secondPassword.sameAsPassword'
  | 'secondPassword.mismatch';

const nfkc = (s: string): string => s.normalize('NFKC');

/** The sign-in identifier of a graduate: the mail address trimmed and lower-cased. */
export const normaliseMail = (mail: string): string => mail.trim().toLowerCase();

/** パスワード: at least 12 characters, letters and digits, not containing the mail address's local part. */
export function checkPassword(password: string, mail: string): string | null {
  const value = nfkc(password);
  if (value === '') return 'required';
  if (value.length > SECRET_MAX) return 'tooLong';
  if ([...value].length < PASSWORD_MIN) return 'password.tooShort';
  if (!/\p{L}/u.test(value) || !/\p{Nd}/u.test(value)) return 'password.lettersAndDigits';
  const local = normaliseMail(mail).split('@')[0] ?? '';
  if (local.length >= LOCAL_PART_MIN && value.toLowerCase().includes(local)) return 'password.containsMail';
  return null;
}

/** 第2パスワード: at least 8 characters and not the password. */
export function checkSecondPassword(secondPassword: string, password: string): string | null {
  const value = nfkc(secondPassword);
  if (value === '') return 'required';
  if (value.length > SECRET_MAX) return 'tooLong';
  if ([...value].length < SECOND_PASSWORD_MIN) return 'secondPassword.tooShort';
  if (value === nfkc(password)) return 'secondPassword.sameAsPassword';
  return null;
}

/**
 * All four fields → a code per field with a mistake (empty when all is well). With
 * `secondOptional` (password reset), leaving both second-password fields empty keeps the
 * current second password.
 */
export function checkSecrets(input: Partial<SecretsInput>, mail: string, options: { secondOptional?: boolean } = {}): Partial<Record<SecretField, string>> {
  const v = (f: SecretField) => (typeof input[f] === 'string' ? input[f] : '');
  const errors: Partial<Record<SecretField, string>> = {};
  const set = (field: SecretField, code: string | null) => {
    if (code) errors[field] = code;
  };

  set('password', checkPassword(v('password'), mail));
  if (v('passwordConfirm') === '') set('passwordConfirm', 'required');
  else if (!errors.password && nfkc(v('passwordConfirm')) !== nfkc(v('password'))) set('passwordConfirm', 'password.mismatch');

  const keepSecond = options.secondOptional === true && v('secondPassword') === '' && v('secondPasswordConfirm') === '';
  if (!keepSecond) {
    set('secondPassword', checkSecondPassword(v('secondPassword'), v('password')));
    if (v('secondPasswordConfirm') === '') set('secondPasswordConfirm', 'required');
    else if (!errors.secondPassword && nfkc(v('secondPasswordConfirm')) !== nfkc(v('secondPassword'))) {
      set('secondPasswordConfirm', 'secondPassword.mismatch');
    }
  }
  return errors;
}
