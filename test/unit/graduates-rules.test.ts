import { describe, expect, it } from 'vitest';
import { checkPassword, checkSecondPassword, checkSecrets, normaliseMail } from '../../service/shared/graduate-secrets.js';

const MAIL = 'hanako.sato@example.jp';

describe('graduate password rules', () => {
  it('accepts a password of 12 characters with letters and digits', () => {
    expect(checkPassword('correct4horse', MAIL)).toBeNull();
    expect(checkPassword('abcdefghijk1', MAIL)).toBeNull();
  });

  it('refuses a password shorter than 12 characters', () => {
    expect(checkPassword('abcdefghij1', MAIL)).toBe('password.tooShort');
    expect(checkPassword('', MAIL)).toBe('required');
  });

  it('asks for letters and digits both', () => {
    expect(checkPassword('abcdefghijklm', MAIL)).toBe('password.lettersAndDigits');
    expect(checkPassword('1234567890123', MAIL)).toBe('password.lettersAndDigits');
    expect(checkPassword('!!!!!!!!!!!!1', MAIL)).toBe('password.lettersAndDigits');
  });

  it('refuses a password containing the local part of the mail address, in any case', () => {
    expect(checkPassword('my-Hanako.Sato-2024', MAIL)).toBe('password.containsMail');
    expect(checkPassword('hanako.sato99', MAIL)).toBe('password.containsMail');
    // A very short local part is too common a string to forbid.
    expect(checkPassword('xyz-ab-2024-pw', 'ab@example.jp')).toBeNull();
  });

  it('counts a full-width password like the same password typed half-width', () => {
    expect(checkPassword('ｃｏｒｒｅｃｔ４ｈｏｒｓｅ', MAIL)).toBeNull();
    expect(checkPassword('ａｂｃｄｅｆｇｈｉｊ１', MAIL)).toBe('password.tooShort');
  });

  it('refuses a password longer than 128 characters', () => {
    expect(checkPassword(`a1${'x'.repeat(127)}`, MAIL)).toBe('tooLong');
  });

  it('asks for a second password of at least 8 characters that differs from the password', () => {
    expect(checkSecondPassword('tiger-77', 'correct4horse')).toBeNull();
    expect(checkSecondPassword('tiger-7', 'correct4horse')).toBe('secondPassword.tooShort');
    expect(checkSecondPassword('correct4horse', 'correct4horse')).toBe('secondPassword.sameAsPassword');
    expect(checkSecondPassword('ｃｏｒｒｅｃｔ４ｈｏｒｓｅ', 'correct4horse')).toBe('secondPassword.sameAsPassword');
    expect(checkSecondPassword('', 'correct4horse')).toBe('required');
  });

  it('checks both confirmations and reports every field at once', () => {
    expect(
      checkSecrets({ password: 'correct4horse', passwordConfirm: 'correct4hors', secondPassword: 'tiger-77', secondPasswordConfirm: 'tiger-78' }, MAIL),
    ).toEqual({ passwordConfirm: 'password.mismatch', secondPasswordConfirm: 'secondPassword.mismatch' });
    expect(checkSecrets({ password: 'short1', passwordConfirm: '', secondPassword: '', secondPasswordConfirm: '' }, MAIL)).toEqual({
      password: 'password.tooShort',
      passwordConfirm: 'required',
      secondPassword: 'required',
      secondPasswordConfirm: 'required',
    });
    expect(
      checkSecrets({ password: 'correct4horse', passwordConfirm: 'correct4horse', secondPassword: 'tiger-77', secondPasswordConfirm: 'tiger-77' }, MAIL),
    ).toEqual({});
  });

  it('lets a password reset keep the second password when both of its fields are empty', () => {
    const input = { password: 'correct4horse', passwordConfirm: 'correct4horse', secondPassword: '', secondPasswordConfirm: '' };
    expect(checkSecrets(input, MAIL, { secondOptional: true })).toEqual({});
    expect(checkSecrets({ ...input, secondPassword: 'tiger-77' }, MAIL, { secondOptional: true })).toEqual({ secondPasswordConfirm: 'required' });
  });

  it('signs graduates in by the trimmed, lower-cased mail address', () => {
    expect(normaliseMail('  Hanako.Sato@Example.JP ')).toBe('hanako.sato@example.jp');
  });
});
