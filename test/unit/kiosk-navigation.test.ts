import { describe, expect, it } from 'vitest';
import { createHardening, hardenEveryContents } from '../../main/hardening.js';
import { createNavigationPolicy } from '../../main/navigation.js';
import { fakeElectron, fakeEvent, FakeSession, FakeWebContents, recordingLog } from '../support/kiosk-electron.js';

const SERVICE = 'https://shomei.example.ac.jp';
const IDP = 'https://idp.example.ac.jp';
const policy = () => createNavigationPolicy([SERVICE, IDP]);

describe('navigation allow-list', () => {
  it('allows pages of the service origin', () => {
    expect(policy().allows(`${SERVICE}/login`)).toBe(true);
    expect(policy().allows(`${SERVICE}:443/certificates?x=1#top`)).toBe(true);
  });

  it('allows pages of a configured IdP origin', () => {
    expect(policy().allows(`${IDP}/idp/profile/SAML2/Redirect/SSO?SAMLRequest=abc`)).toBe(true);
  });

  it('refuses a look-alike host that merely starts with an allowed origin', () => {
    expect(policy().allows('https://idp.example.ac.jp.evil.test/login')).toBe(false);
    expect(policy().allows('https://shomei.example.ac.jp@evil.test/')).toBe(false);
    expect(policy().allows('https://evil.test/https://shomei.example.ac.jp/')).toBe(false);
  });

  it('refuses the same host on another scheme or port', () => {
    expect(policy().allows('http://shomei.example.ac.jp/login')).toBe(false);
    expect(policy().allows('https://shomei.example.ac.jp:8443/login')).toBe(false);
  });

  it('refuses javascript:, file:, data: and other schemes', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<h1>x</h1>',
      'about:blank',
      'chrome://gpu',
      'blob:https://shomei.example.ac.jp/1',
      'not a url',
    ]) {
      expect(policy().allows(url), url).toBe(false);
    }
  });

  it('allows nothing before the service origin is known, and follows a new origin', () => {
    const p = createNavigationPolicy();
    expect(p.allows(`${SERVICE}/login`)).toBe(false);
    p.setOrigins(['http://127.0.0.1:41234']);
    expect(p.allows('http://127.0.0.1:41234/login')).toBe(true);
    expect(p.origins()).toEqual(['http://127.0.0.1:41234']);
  });
});

describe('navigation guard on the web contents', () => {
  const guarded = () => {
    const contents = new FakeWebContents();
    const log = recordingLog();
    createHardening({ policy: policy(), log }).harden(contents);
    return { contents, log };
  };

  it('will-navigate to the IdP goes ahead and to another site is prevented and logged', () => {
    const { contents, log } = guarded();
    const ok = fakeEvent({ url: `${IDP}/sso` });
    contents.emit('will-navigate', ok, ok.url);
    expect(ok.defaultPrevented).toBe(false);
    const bad = fakeEvent({ url: 'https://idp.example.ac.jp.evil.test/' });
    contents.emit('will-navigate', bad, bad.url);
    expect(bad.defaultPrevented).toBe(true);
    expect(log.entries).toEqual([expect.objectContaining({ level: 'warn', message: 'kiosk navigation refused' })]);
  });

  it('a redirect to a refused origin is prevented', () => {
    const { contents } = guarded();
    const bad = fakeEvent({ url: 'http://shomei.example.ac.jp/login' });
    contents.emit('will-redirect', bad, bad.url);
    expect(bad.defaultPrevented).toBe(true);
    const ok = fakeEvent({ url: `${SERVICE}/login` });
    contents.emit('will-redirect', ok, ok.url);
    expect(ok.defaultPrevented).toBe(false);
  });

  it('an iframe navigating to another site is prevented', () => {
    const { contents } = guarded();
    const bad = fakeEvent({ url: 'https://ads.example.com/', isMainFrame: false });
    contents.emit('will-frame-navigate', bad);
    expect(bad.defaultPrevented).toBe(true);
    const javascript = fakeEvent({ url: 'javascript:alert(1)', isMainFrame: false });
    contents.emit('will-frame-navigate', javascript);
    expect(javascript.defaultPrevented).toBe(true);
  });

  it('window.open and target=_blank are denied', () => {
    const { contents, log } = guarded();
    expect(contents.windowOpenHandler!({ url: `${SERVICE}/help` } as never)).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://evil.test/' } as never)).toEqual({ action: 'deny' });
    expect(log.entries.filter((e) => e.message === 'kiosk window.open refused')).toHaveLength(2);
  });

  it('a <webview> is never attached', () => {
    const { contents } = guarded();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('any other web contents the app creates is hardened too, frames included, once', () => {
    const electron = fakeElectron();
    const hardening = createHardening({ policy: policy(), log: recordingLog() });
    hardenEveryContents(electron.api, hardening);
    const other = new FakeWebContents();
    electron.app.emit('web-contents-created', fakeEvent(), other);
    electron.app.emit('web-contents-created', fakeEvent(), other);
    hardening.harden(other);
    // And the other way round: the creator first, then Electron's event.
    const late = new FakeWebContents();
    hardening.harden(late);
    electron.app.emit('web-contents-created', fakeEvent(), late);
    expect(late.count('will-frame-navigate')).toBe(1);
    expect(late.count('will-navigate')).toBe(1);
    expect(other.windowOpenHandler!({ url: 'https://evil.test/' } as never)).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) expect(other.count(event), event).toBe(1);
    expect(other.session.count('will-download')).toBe(1);
    const event = fakeEvent({ url: 'file:///etc/passwd' });
    other.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(true);
    const frame = fakeEvent({ url: 'https://evil.test/', isMainFrame: false });
    other.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
  });

  it('its session refuses every permission and every download', () => {
    const { contents, log } = guarded();
    let granted: boolean | undefined;
    contents.session.requestHandler!({}, 'media' as never, (g) => (granted = g), {} as never);
    expect(granted).toBe(false);
    expect(contents.session.checkHandler!({}, 'geolocation' as never, SERVICE, {} as never)).toBe(false);
    let cancelled = 0;
    const download = fakeEvent();
    contents.session.emit('will-download', download, { cancel: () => (cancelled += 1), getURL: () => `${SERVICE}/x.pdf` }, contents);
    expect(download.defaultPrevented).toBe(true);
    expect(cancelled).toBe(1);
    expect(log.entries.map((e) => e.message)).toContain('kiosk download refused');
  });

  it("a helper's contents (the print window) may not navigate at all, and its frames are left to the PDF viewer", () => {
    const helperSession = new FakeSession();
    const hardening = createHardening({ policy: policy(), log: recordingLog(), helperSessions: [helperSession] });
    const helper = new FakeWebContents(helperSession);
    hardening.harden(helper);
    for (const url of [`${SERVICE}/login`, 'https://evil.test/', 'file:///etc/passwd']) {
      const event = fakeEvent({ url });
      helper.emit('will-navigate', event, url);
      expect(event.defaultPrevented, url).toBe(true);
      const redirect = fakeEvent({ url });
      helper.emit('will-redirect', redirect, url);
      expect(redirect.defaultPrevented, url).toBe(true);
    }
    expect(helper.count('will-frame-navigate')).toBe(0);
    expect(helper.windowOpenHandler!({ url: SERVICE } as never)).toEqual({ action: 'deny' });
    expect(helper.count('will-attach-webview')).toBe(1);
    expect(helperSession.checkHandler!({}, 'media' as never, SERVICE, {} as never)).toBe(false);
    expect(helperSession.count('will-download')).toBe(1);
  });
});
