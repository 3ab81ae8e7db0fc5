import { openTerminalStore } from '../adapters/lowdb/terminal-store.js';
import { createTerminalService, type TerminalService } from '../domain/terminals/service.js';
import type { FeatureContext } from './context.js';

/** 端末: enrolled campus terminals (DATA_DIR/terminals.json); the embedded kiosk shell's own terminal when it started us. */
export async function createTerminalsFeature(ctx: Pick<FeatureContext, 'config' | 'logger' | 'clock' | 'random' | 'audit'>): Promise<TerminalService> {
  const store = await openTerminalStore(ctx.config.dataDir);
  const terminals = createTerminalService({ store, audit: ctx.audit, clock: ctx.clock, random: ctx.random });
  if (ctx.config.embeddedTerminalKey) {
    const terminal = await terminals.enrollEmbedded(ctx.config.embeddedTerminalKey);
    if (terminal) ctx.logger.info({ terminalId: terminal.id }, 'embedded kiosk terminal enrolled');
    else ctx.logger.warn('the embedded kiosk terminal is revoked: the kiosk shell is an ordinary browser until an administrator issues it a key');
  }
  return terminals;
}
