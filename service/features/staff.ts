import type { AuditLog } from '../domain/audit.js';
import type { FeatureContext } from './context.js';

/** Staff accounts, staff sessions and the audit log adapter (issue #3). Skeleton. */
export type StaffService = Record<string, never>;

/** The audit log, opened before the other features because they all write to it. */
export async function openAuditLog(_ctx: Omit<FeatureContext, 'audit' | 'accounts'>): Promise<AuditLog> {
  const entries: never[] = [];
  return {
    append: async () => {
      throw new Error('audit log not implemented yet');
    },
    list: async () => ({ total: entries.length, items: [] }),
  };
}

export async function createStaffFeature(_ctx: FeatureContext): Promise<StaffService> {
  return {};
}
