import { findFreePort } from '../../main/embedded-service.js';

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that must know their port up front). */
export const freePort = (): Promise<number> => findFreePort('127.0.0.1');
