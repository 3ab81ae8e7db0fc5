import { fork } from 'node:child_process';
import type { EmbeddedForkOptions, EmbeddedProcess } from '../../main/embedded-service.js';

/**
 * Node's child_process.fork in the shape of Electron's `utilityProcess.fork` (the stand-in the
 * kiosk shell's embedded service is tested with): piped stdout/stderr, `exit` with a numeric code.
 */
export function forkLikeUtilityProcess(modulePath: string, args: string[], options: EmbeddedForkOptions): EmbeddedProcess {
  const child = fork(modulePath, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    on(event: 'exit', listener: (code: number) => void) {
      child.on(event, (code: number | null) => listener(code ?? 1));
      return this;
    },
    kill: () => child.kill(),
  };
}
