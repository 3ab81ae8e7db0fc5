import type { Clock } from '../ports.js';
import type { UnitOfWork } from '../stores.js';
import type { StaffAccounts } from './accounts.js';
import type { StaffUser } from './model.js';
import type { LiveStaffSession, StaffSessionService } from './sessions.js';

export interface StaffLoginDeps {
  accounts: StaffAccounts;
  sessions: StaffSessionService;
  transaction: UnitOfWork['transaction'];
  clock: Clock;
}

/**
 * A console login: the password is checked first (slow on purpose, so outside the transaction),
 * then the audit entry (which is also the user's last login time) and the new session (the old
 * one ends) are one transaction — a login the audit log cannot hold does not happen. The staff
 * record is written only when its password hash is upgraded.
 */
export async function logInStaff(
  deps: StaffLoginDeps,
  username: string,
  password: string,
  old: LiveStaffSession | null,
): Promise<{ user: StaffUser; session: LiveStaffSession }> {
  const { user, patch } = await deps.accounts.verify(username, password);
  return deps.transaction(async (tx) => {
    const updated = Object.keys(patch).length > 0 ? await tx.staff.update(user.id, patch) : null;
    const signedIn = updated ? { ...updated, lastLoginAt: user.lastLoginAt } : user;
    await tx.audit.append({
      at: deps.clock.now().toISOString(),
      actor: { type: 'staff', id: user.id, name: signedIn.displayName },
      action: 'staff.login',
      target: { type: 'staffUser', id: user.id },
      before: null,
      after: null,
      note: null,
    });
    const session = await deps.sessions.within(tx.staffSessions).regenerate(old, user.id);
    return { user: signedIn, session };
  });
}
