import { createTerminalService, type TerminalService } from '../domain/terminals/service.js';
import type { FeatureContext } from './context.js';

/** 端末: enrolled campus terminals; the embedded kiosk shell's own terminal when it started us. */
export async function createTerminalsFeature(
  ctx: Pick<FeatureContext, 'config' | 'logger' | 'clock' | 'random' | 'audit' | 'stores'>,
): Promise<TerminalService> {
  const terminals = createTerminalService({ store: ctx.stores.terminals, audit: ctx.audit, clock: ctx.clock, random: ctx.random });
  if (ctx.config.embeddedTerminalKey) {
    const terminal = await terminals.enrollEmbedded(ctx.config.embeddedTerminalKey);
    if (terminal) ctx.logger.info({ terminalId: terminal.id }, 'embedded kiosk terminal enrolled');
    else ctx.logger.warn('the embedded kiosk terminal is revoked: the kiosk shell is an ordinary browser until an administrator issues it a key');
  }
  return terminals;
}
