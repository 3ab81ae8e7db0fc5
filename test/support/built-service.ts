import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SERVICE_NODE_FLAGS, serviceEnv } from '../../service/process-settings.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs the BUILT service (`npm run build` first) as its own process, the way `npm start` does; resolves once it listens. */
export async function startBuiltService(env: Record<string, string>): Promise<ChildProcess> {
  // Started as `npm start` starts it (scripts/start.mjs).
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, path.join(root, 'dist/service/server.js')], {
    cwd: root,
    env: serviceEnv({ ...process.env, LOG_LEVEL: 'warn', SHOMEI_REPORT_PORT: '1', ...env }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not start within 30 s')), 30_000);
    let out = '';
    const onData = (d: string) => {
      out += d;
      if (out.includes('SHOMEI_LISTENING')) {
        clearTimeout(timer);
        // Read no further: the access log that follows is drained unread (kept and searched, it
        // made every chunk cost more than the last in the process that loads the service).
        child.stdout!.off('data', onData);
        out = '';
        resolve();
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening:\n${out}`));
    });
  });
  child.stdout!.resume();
  return child;
}

/** SIGTERM, and resolves when the process has exited. */
export function stopBuiltService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
