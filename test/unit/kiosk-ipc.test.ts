import { describe, expect, it } from 'vitest';
import { JOB_ID, KioskIpcRefused, registerKioskIpc, type KioskIpcHandlers } from '../../main/ipc.js';
import { KIOSK_CHANNELS, type KioskTerminalInfo } from '../../main/kiosk-bridge.js';
import { FakeIpcMain, recordingLog } from '../support/kiosk-electron.js';

const SERVICE = 'https://shomei.example.ac.jp';
const KIOSK_CONTENTS = { id: 7 };
const terminal: KioskTerminalInfo = {
  terminalId: 'kiosk-01',
  idleTimeoutSeconds: 120,
  countdownSeconds: 30,
  defaultLanguage: 'ja',
  printer: { name: 'Campus-A4', available: true },
};

function setup() {
  const ipcMain = new FakeIpcMain();
  const log = recordingLog();
  const calls: string[] = [];
  const handlers: KioskIpcHandlers = {
    terminal: async () => {
      calls.push('terminal');
      return terminal;
    },
    print: async (jobId) => {
      calls.push(`print ${jobId}`);
      return { ok: true, printedAt: '2026-11-24T10:00:00.000Z' };
    },
    sessionEnded: async () => {
      calls.push('sessionEnded');
    },
  };
  const unregister = registerKioskIpc({ ipcMain, expected: () => ({ contentsId: KIOSK_CONTENTS.id, serviceOrigin: SERVICE }), handlers, log });
  return { ipcMain, log, calls, unregister };
}

const mainFrame = (url = `${SERVICE}/certificates`) => ({ url, origin: new URL(url).origin, parent: null });

describe('kiosk bridge IPC', () => {
  it('the service page in the main frame of the kiosk window gets the terminal information', async () => {
    const { ipcMain, calls } = setup();
    await expect(ipcMain.invoke(KIOSK_CHANNELS.terminal, KIOSK_CONTENTS, mainFrame())).resolves.toEqual(terminal);
    expect(calls).toEqual(['terminal']);
  });

  it('the service page can print a job and end the session', async () => {
    const { ipcMain, calls } = setup();
    await expect(ipcMain.invoke(KIOSK_CHANNELS.print, KIOSK_CONTENTS, mainFrame(), '3f2c1e9a-7b4d-4c2a-9e1f-0a1b2c3d4e5f')).resolves.toEqual({
      ok: true,
      printedAt: '2026-11-24T10:00:00.000Z',
    });
    await expect(ipcMain.invoke(KIOSK_CHANNELS.sessionEnded, KIOSK_CONTENTS, mainFrame())).resolves.toBeUndefined();
    expect(calls).toEqual(['print 3f2c1e9a-7b4d-4c2a-9e1f-0a1b2c3d4e5f', 'sessionEnded']);
  });

  it('a page of another origin (the IdP, a look-alike) is refused and logged', async () => {
    const { ipcMain, calls, log } = setup();
    for (const url of ['https://idp.example.ac.jp/sso', 'https://shomei.example.ac.jp.evil.test/', 'http://shomei.example.ac.jp/']) {
      await expect(ipcMain.invoke(KIOSK_CHANNELS.print, KIOSK_CONTENTS, mainFrame(url), 'job-1')).rejects.toBeInstanceOf(KioskIpcRefused);
    }
    expect(calls).toEqual([]);
    expect(log.entries.filter((e) => e.message === 'kiosk bridge call refused')).toHaveLength(3);
  });

  it('a shell page (data: URL, opaque origin) is refused', async () => {
    const { ipcMain } = setup();
    await expect(ipcMain.invoke(KIOSK_CHANNELS.terminal, KIOSK_CONTENTS, { url: 'data:text/html,x', origin: 'null', parent: null })).rejects.toThrow(/refused/);
  });

  it('an iframe, even of the service origin, is refused', async () => {
    const { ipcMain, calls } = setup();
    const sub = { ...mainFrame(), parent: mainFrame() };
    await expect(ipcMain.invoke(KIOSK_CHANNELS.sessionEnded, KIOSK_CONTENTS, sub)).rejects.toThrow(/refused/);
    expect(calls).toEqual([]);
  });

  it('a call without a sender frame is refused', async () => {
    const { ipcMain, log } = setup();
    await expect(ipcMain.invoke(KIOSK_CHANNELS.terminal, KIOSK_CONTENTS, null)).rejects.toThrow(/refused/);
    expect(log.entries[0]!.fields).toMatchObject({ reason: expect.stringMatching(/no sender frame/) });
  });

  it('a call from another web contents is refused', async () => {
    const { ipcMain } = setup();
    await expect(ipcMain.invoke(KIOSK_CHANNELS.terminal, { id: 8 }, mainFrame())).rejects.toThrow(/refused/);
  });

  it('nothing is allowed while the service origin is unknown', async () => {
    const ipcMain = new FakeIpcMain();
    registerKioskIpc({
      ipcMain,
      expected: () => ({ contentsId: 7, serviceOrigin: null }),
      handlers: { terminal: async () => terminal, print: async () => ({ ok: false, code: 'x' }), sessionEnded: async () => {} },
      log: recordingLog(),
    });
    await expect(ipcMain.invoke(KIOSK_CHANNELS.terminal, KIOSK_CONTENTS, mainFrame())).rejects.toThrow(/refused/);
  });

  it('a malformed job id is answered with a failure and never reaches the printer', async () => {
    const { ipcMain, calls } = setup();
    for (const jobId of ['', '../../admin', 'a'.repeat(65), 42, null, { id: 'x' }]) {
      await expect(ipcMain.invoke(KIOSK_CHANNELS.print, KIOSK_CONTENTS, mainFrame(), jobId)).resolves.toEqual({ ok: false, code: 'campus.notFound' });
    }
    expect(calls).toEqual([]);
  });

  it('job ids of the service (UUIDs) match the accepted format', () => {
    expect(JOB_ID.test(crypto.randomUUID())).toBe(true);
  });

  it('registers exactly the bridge channels and can unregister them', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(KIOSK_CHANNELS).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
