import type { DemoStaff } from '../features/staff.js';

export interface StartHintsInput {
  publicUrl: string;
  /** The built-in demo IdP runs (no SAML_IDP_METADATA). */
  demoIdp: boolean;
  /** The dev mailbox runs (no SMTP_URL). */
  devMailbox: boolean;
  staff: DemoStaff | null;
}

const RULE = '='.repeat(72);

/**
 * What a person starting the demo needs, as plain text for the terminal (the JSON log says the
 * same for machines): where to open it, the demo IdP, the dev mailbox, and how to sign in to the
 * staff console — with the passwords themselves only on the start that created them.
 */
export function demoStartHints({ publicUrl, demoIdp, devMailbox, staff }: StartHintsInput): string {
  const lines = [RULE, ' Shomei — デモモード / demo mode', RULE, ' ブラウザで開く / Open in a browser', `   ${publicUrl}/`];
  if (demoIdp) {
    lines.push(' デモ用 IdP: デモ学生の一覧、パスワード不要 / Demo IdP: the demo students, no password', `   ${publicUrl}/demo-idp`);
  }
  if (devMailbox) {
    lines.push(' 開発用メールボックス: 送信したメールはすべてここへ / Dev mailbox: every mail the service sends', `   ${publicUrl}/dev/mailbox`);
  }
  if (staff) {
    lines.push(' スタッフコンソール / Staff console', `   ${publicUrl}/admin/login`);
    const width = Math.max(...staff.users.map((u) => u.username.length));
    const roleWidth = Math.max(...staff.users.map((u) => u.role.length)) + 2;
    const created = new Map(staff.created.map((c) => [c.username, c.password]));
    for (const u of staff.users) {
      const password = created.get(u.username);
      lines.push(`   ${u.username.padEnd(width)}  ${`(${u.role})`.padEnd(roleWidth)}${password ? `  password: ${password}` : ''}`.trimEnd());
    }
    lines.push(
      created.size
        ? `   初回のみ表示。次のファイルにもあります / Shown this once; also in ${staff.file}`
        : `   最初のパスワード / First passwords: ${staff.file}`,
    );
  }
  lines.push(RULE, '');
  return lines.join('\n');
}
