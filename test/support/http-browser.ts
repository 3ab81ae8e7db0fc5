/**
 * A minimal browser for HTTP-level tests: a cookie jar (per host, as browsers do — ports do
 * not separate cookies), manual redirects so each hop can be inspected, and HTML form
 * submission (login forms, SAML auto-post forms).
 */

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

export interface Form {
  action: string;
  method: string;
  fields: Record<string, string>;
}

const decodeEntities = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

const attrOf = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : null;
};

/** The forms of an HTML page (action resolved against `pageUrl`), with their input values. */
export function parseForms(html: string, pageUrl: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = m[1]!;
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input\b[^>]*>/gi)) {
      const name = attrOf(input[0], 'name');
      const type = (attrOf(input[0], 'type') ?? 'text').toLowerCase();
      if (!name || type === 'submit' || type === 'button' || type === 'image') continue;
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/i.test(input[0])) continue;
      fields[name] = attrOf(input[0], 'value') ?? '';
    }
    forms.push({
      action: new URL(attrOf(tag, 'action') ?? '', pageUrl).toString(),
      method: (attrOf(tag, 'method') ?? 'get').toUpperCase(),
      fields,
    });
  }
  return forms;
}

export class HttpBrowser {
  /** host → cookie name → value */
  private readonly jar = new Map<string, Map<string, string>>();

  /** Headers added per request, e.g. a kiosk terminal's proof (it depends on method and URL, and only the service gets it). */
  headersFor: ((method: string, url: string) => Record<string, string>) | null = null;

  constructor(public userAgent = 'Mozilla/5.0 (X11; Linux x86_64) ShomeiTests/1.0') {}

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).hostname)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).hostname;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  clearCookies(): void {
    this.jar.clear();
  }

  /** One request, no redirect following. */
  async request(method: string, url: string, options: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const host = new URL(url).hostname;
    const cookies = [...(this.jar.get(host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'text/html,application/xhtml+xml,*/*',
      ...options.headers,
      ...this.headersFor?.(method, url),
    };
    if (cookies) headers.cookie = cookies;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const sc of response.headers.getSetCookie()) this.store(host, sc);
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }

  /** Requests `url` and follows redirects (303/302/301 as GET, 307/308 keeping the method). */
  async go(
    method: string,
    url: string,
    options: { form?: Record<string, string>; headers?: Record<string, string>; maxRedirects?: number; stopAt?: (url: string) => boolean } = {},
  ): Promise<Page & { trail: string[] }> {
    const trail: string[] = [];
    let page = await this.request(method, url, options);
    let current = { method, form: options.form };
    for (let i = 0; i < (options.maxRedirects ?? 20); i++) {
      const location = page.headers.get('location');
      if (page.status < 300 || page.status >= 400 || !location) break;
      const next = new URL(location, page.url).toString();
      trail.push(next);
      if (options.stopAt?.(next)) return { ...page, trail };
      current = page.status === 307 || page.status === 308 ? current : { method: 'GET', form: undefined };
      page = await this.request(current.method, next, { form: current.form, headers: options.headers });
    }
    return { ...page, trail };
  }

  get(url: string, options: Parameters<HttpBrowser['go']>[2] = {}) {
    return this.go('GET', url, options);
  }

  /** Submits the page's form number `index` with `values` filled in, following redirects. */
  submit(page: Page, values: Record<string, string> = {}, index = 0, options: Parameters<HttpBrowser['go']>[2] = {}) {
    const form = parseForms(page.body, page.url)[index];
    if (!form) throw new Error(`no form #${index} on ${page.url} (HTTP ${page.status}):\n${page.body.slice(0, 1500)}`);
    const fields = { ...form.fields, ...values };
    if (form.method === 'POST') return this.go('POST', form.action, { ...options, form: fields });
    const url = new URL(form.action);
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
    return this.go('GET', url.toString(), options);
  }

  private store(host: string, setCookie: string): void {
    const [pair, ...attributes] = setCookie.split(';');
    const eq = pair!.indexOf('=');
    if (eq < 1) return;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k, v] = a.split('=').map((s) => s.trim());
      if (k!.toLowerCase() === 'max-age') return Number(v) <= 0;
      if (k!.toLowerCase() === 'expires') return Date.parse(v ?? '') <= Date.now();
      return false;
    });
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    const cookies = this.jar.get(host)!;
    if (expired || value === '' || value === 'deleted') cookies.delete(name);
    else cookies.set(name, value);
  }
}
