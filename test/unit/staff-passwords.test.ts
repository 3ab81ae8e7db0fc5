import { describe, expect, it } from 'vitest';
import { burn, hashPassword, needsRehash, verifyPassword } from '../../service/domain/passwords.js';

describe('password hashing (scrypt)', () => {
  it('verifies the password it hashed and refuses another', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('keeps its parameters and a fresh salt in the hash string', async () => {
    const a = await hashPassword('same password twice');
    const b = await hashPassword('same password twice');
    expect(a).toMatch(/^scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{40,}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
    expect(needsRehash(a)).toBe(false);
  });

  it('verifies against the parameters stored in the hash, and asks for a rehash when they are old', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('an older password', salt, 32, { N: 2 ** 10, r: 8, p: 1 });
    const old = `scrypt$ln=10,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('an older password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('treats a password typed with full-width characters like the same password typed half-width', async () => {
    const hash = await hashPassword('Password 2026!');
    expect(await verifyPassword('Ｐａｓｓｗｏｒｄ\u30002026！', hash)).toBe(true);
  });

  it('never matches a malformed or absurd hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$ln=15,r=8,p=1$$', 'scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5', 'bcrypt$2b$10$abc']) {
      expect(await verifyPassword('whatever', bad)).toBe(false);
    }
  });

  it('can do the work of a verification without an account, and fail', async () => {
    expect(await burn('anything at all')).toBe(false);
  });
});
