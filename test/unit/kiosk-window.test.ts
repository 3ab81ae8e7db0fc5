import { describe, expect, it } from 'vitest';
import type { Input } from '../../main/electron-api.js';
import { createHardening, hardenEveryContents } from '../../main/hardening.js';
import { createNavigationPolicy } from '../../main/navigation.js';
import { createKioskWindow, isBlockedInput, KIOSK_PARTITION, kioskUserAgent } from '../../main/window.js';
import { fakeElectron, fakeEvent, recordingLog } from '../support/kiosk-electron.js';

/** A kiosk window made as the shell makes it; `appWide: false` leaves out the app's web-contents-created hardening. */
function kioskWindow(isPackaged = true, { appWide = true } = {}) {
  const electron = fakeElectron();
  const log = recordingLog();
  const hardening = createHardening({ policy: createNavigationPolicy(['https://shomei.example.ac.jp']), log });
  if (appWide) hardenEveryContents(electron.api, hardening);
  const win = createKioskWindow(electron.api, {
    preloadPath: '/app/dist/main/preload.cjs',
    isPackaged,
    userAgent: kioskUserAgent(electron.app.userAgentFallback, '0.1.0'),
    hardening,
  });
  return { electron, win: electron.window, returned: win, log };
}

const GUARDED_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'];

const key = (k: string, mods: Partial<Pick<Input, 'control' | 'meta' | 'alt' | 'shift'>> & { code?: string } = {}) =>
  ({
    type: 'keyDown',
    key: k,
    code: mods.code ?? (/^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : k),
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  }) as Input;

describe('the kiosk window', () => {
  it('is a full-screen kiosk window with an isolated, sandboxed page and no Node', () => {
    const { win, returned } = kioskWindow();
    expect(returned).toBe(win);
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true });
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
      preload: '/app/dist/main/preload.cjs',
    });
  });

  it('keeps the session in memory only (no persist: partition)', () => {
    const { win, electron } = kioskWindow();
    expect(win.options.webPreferences?.partition).toBe(KIOSK_PARTITION);
    expect(KIOSK_PARTITION.startsWith('persist:')).toBe(false);
    expect(win.webContents.session).toBe(electron.sessions.get(KIOSK_PARTITION));
  });

  it('allows devtools only in development builds', () => {
    expect(kioskWindow(false).win.options.webPreferences?.devTools).toBe(true);
  });

  it('removes the application menu', () => {
    expect(kioskWindow().electron.menuRemoved).toBe(1);
  });

  it('identifies itself to the service as ShomeiKiosk/<version>', () => {
    const { win } = kioskWindow();
    expect(win.webContents.userAgent).toMatch(/ ShomeiKiosk\/0\.1\.0$/);
    expect(kioskUserAgent('X ShomeiKiosk/0.1.0', '0.1.0')).toBe('X ShomeiKiosk/0.1.0');
  });

  it('denies every permission request and permission check', () => {
    const session = kioskWindow().win.webContents.session;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid']) {
      let granted: boolean | undefined;
      session.requestHandler!({}, permission as never, (g) => (granted = g), {} as never);
      expect(granted, permission).toBe(false);
      expect(session.checkHandler!({}, permission as never, 'https://shomei.example.ac.jp', {} as never), permission).toBe(false);
    }
  });

  it('cancels downloads', () => {
    const { win, log } = kioskWindow();
    let cancelled = 0;
    const event = fakeEvent();
    win.webContents.session.emit(
      'will-download',
      event,
      { cancel: () => (cancelled += 1), getURL: () => 'https://shomei.example.ac.jp/x.pdf' },
      win.webContents,
    );
    expect(event.defaultPrevented).toBe(true);
    expect(cancelled).toBe(1);
    expect(log.entries.map((e) => e.message)).toContain('kiosk download refused');
  });

  for (const appWide of [true, false]) {
    it(`holds every frame of its page to the allow-list, each guard installed once (${appWide ? 'hardened first by the app as Electron reports the contents' : 'hardened by the window alone'})`, () => {
      const { win, log } = kioskWindow(true, { appWide });
      const contents = win.webContents;
      for (const event of GUARDED_EVENTS) expect(contents.count(event), event).toBe(1);
      const iframe = fakeEvent({ url: 'https://ads.example.com/', isMainFrame: false });
      contents.emit('will-frame-navigate', iframe);
      expect(iframe.defaultPrevented).toBe(true);
      expect(log.entries).toContainEqual(expect.objectContaining({ message: 'kiosk navigation refused', fields: expect.objectContaining({ kind: 'frame' }) }));
      const idp = fakeEvent({ url: 'https://shomei.example.ac.jp/saml/acs', isMainFrame: false });
      contents.emit('will-frame-navigate', idp);
      expect(idp.defaultPrevented).toBe(false);
      expect(contents.windowOpenHandler!({ url: 'https://shomei.example.ac.jp/help' } as never)).toEqual({ action: 'deny' });
      expect(contents.session.count('will-download')).toBe(1);
    });
  }

  it('disables pinch and Ctrl+wheel zoom, again after every load', () => {
    const { win } = kioskWindow();
    expect(win.webContents.zoomLimits).toEqual([1, 1]);
    win.webContents.zoomLimits = null;
    win.webContents.emit('did-finish-load');
    expect(win.webContents.zoomLimits).toEqual([1, 1]);
  });

  it('swallows blocked shortcuts in before-input-event and lets typing through', () => {
    const { win } = kioskWindow();
    const press = (input: Input) => {
      const event = fakeEvent();
      win.webContents.emit('before-input-event', event, input);
      return event.defaultPrevented;
    };
    expect(press(key('F5'))).toBe(true);
    expect(press(key('a'))).toBe(false);
  });
});

describe('blocked shortcuts', () => {
  const blocked: Array<[string, Input]> = [
    ['F5 (reload)', key('F5')],
    ['Ctrl+R (reload)', key('r', { control: true })],
    ['Cmd+R (reload)', key('r', { meta: true })],
    ['Ctrl+Shift+R (hard reload)', key('R', { control: true, shift: true })],
    ['F12 (devtools)', key('F12')],
    ['Ctrl+Shift+I (devtools)', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+J (console)', key('J', { control: true, shift: true })],
    ['Ctrl+Shift+C (inspect)', key('C', { control: true, shift: true })],
    ['Cmd+Alt+I (devtools)', key('i', { meta: true, alt: true })],
    ['Ctrl++ (zoom in)', key('+', { control: true, shift: true, code: 'Equal' })],
    ['Ctrl+= (zoom in)', key('=', { control: true, code: 'Equal' })],
    ['Ctrl+; (zoom in, JIS)', key(';', { control: true, code: 'Semicolon' })],
    ['Ctrl+- (zoom out)', key('-', { control: true, code: 'Minus' })],
    ['Ctrl+0 (zoom reset)', key('0', { control: true, code: 'Digit0' })],
    ['Ctrl+numpad + (zoom in)', key('+', { control: true, code: 'NumpadAdd' })],
    ['Ctrl+P (print)', key('p', { control: true })],
    ['Ctrl+S (save page)', key('s', { control: true })],
    ['Ctrl+U (view source)', key('u', { control: true })],
    ['Ctrl+O (open file)', key('o', { control: true })],
    ['Ctrl+N (new window)', key('n', { control: true })],
    ['Ctrl+W (close)', key('w', { control: true })],
    ['Alt+Left (back)', key('ArrowLeft', { alt: true })],
    ['Alt+Right (forward)', key('ArrowRight', { alt: true })],
    ['Cmd+[ (back)', key('[', { meta: true })],
    ['browser back key', key('BrowserBack')],
    ['F11 (leave full screen)', key('F11')],
    ['Ctrl+R on a layout where the R key types something else', key('к', { control: true, code: 'KeyR' })],
  ];
  for (const [name, input] of blocked) {
    it(`${name} is blocked`, () => {
      expect(isBlockedInput(input)).toBe(true);
    });
  }

  const allowed: Array<[string, Input]> = [
    ['a letter', key('a')],
    ['a capital letter', key('A', { shift: true })],
    ['a digit', key('0', { code: 'Digit0' })],
    ['Japanese input', key('Process', { code: 'KeyA' })],
    ['Backspace', key('Backspace')],
    ['Enter', key('Enter')],
    ['Tab', key('Tab')],
    ['arrow keys', key('ArrowLeft')],
    ['Ctrl+C (copy)', key('c', { control: true })],
    ['Ctrl+V (paste)', key('v', { control: true })],
    ['Ctrl+X (cut)', key('x', { control: true })],
    ['Ctrl+A (select all)', key('a', { control: true })],
    ['Ctrl+Z (undo)', key('z', { control: true })],
    ['minus in a field', key('-', { code: 'Minus' })],
    ['Shift+= types +', key('+', { shift: true, code: 'Equal' })],
  ];
  for (const [name, input] of allowed) {
    it(`${name} is let through`, () => {
      expect(isBlockedInput(input)).toBe(false);
    });
  }

  it('a key release of a blocked shortcut is blocked too, other event types are not inspected', () => {
    expect(isBlockedInput({ ...key('F5'), type: 'keyUp' })).toBe(true);
    expect(isBlockedInput({ ...key('F5'), type: 'char' })).toBe(false);
  });
});
