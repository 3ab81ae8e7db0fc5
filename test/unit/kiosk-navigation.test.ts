import { describe, expect, it } from 'vitest';
import { createNavigationPolicy } from '../../main/navigation.js';
import { hardenAllContents, hardenContents } from '../../main/window.js';
import { fakeElectron, fakeEvent, FakeWebContents, recordingLog } from '../support/kiosk-electron.js';

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
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<h1>x</h1>', 'about:blank', 'chrome://gpu', 'blob:https://shomei.example.ac.jp/1', 'not a url']) {
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
    hardenContents(contents, policy(), log);
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

  it('any other web contents the app creates is hardened too, once', () => {
    const electron = fakeElectron();
    hardenAllContents(electron.api, policy(), recordingLog());
    const other = new FakeWebContents();
    electron.app.emit('web-contents-created', fakeEvent(), other);
    electron.app.emit('web-contents-created', fakeEvent(), other);
    expect(other.windowOpenHandler!({ url: 'https://evil.test/' } as never)).toEqual({ action: 'deny' });
    expect(other.count('will-navigate')).toBe(1);
    const event = fakeEvent({ url: 'file:///etc/passwd' });
    other.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(true);
  });
});
