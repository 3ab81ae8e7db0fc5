/**
 * Mounting a renderer component as the app does (Pinia, vue-i18n with the real texts, vue-router
 * in memory), with the network stood in: `fetch` answers from a table of `METHOD /path` handlers,
 * so api/client.ts (CSRF token, failure codes) runs for real.
 */
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, expect, vi } from 'vitest';
import { defineComponent, type Component } from 'vue';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import type { Language } from '../../service/contract/api';
import { applyLanguage, i18n } from '../../renderer/src/i18n';

export type Answer = { status?: number; body?: unknown };
export type Handler = (body: unknown) => Answer | Promise<Answer>;
export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** The service's error body, as the renderer receives it. */
export const failure = (status: number, code: string, fields?: Record<string, string>, params?: Record<string, unknown>): Answer => ({
  status,
  body: { error: { code, ...(fields ? { fields } : {}), ...(params ? { params } : {}) } },
});

let unexpected: string[] = [];

/** Stands in for the service: every request must match a handler; the calls are kept in order. */
export function fakeService(handlers: Record<string, Handler>): { calls: Call[] } {
  const calls: Call[] = [];
  const all: Record<string, Handler> = { 'GET /api/session': () => ({ body: { csrfToken: 'csrf-test' } }), ...handlers };
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const path = String(input);
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path, body });
    const handler = all[`${method} ${path}`];
    if (!handler) {
      unexpected.push(`${method} ${path}`);
      return new Response(JSON.stringify({ error: { code: 'notFound' } }), { status: 404 });
    }
    const answer = await handler(body);
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return { calls };
}

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  const missed = unexpected;
  unexpected = [];
  expect(missed, 'requests the stand-in service had no answer for').toEqual([]);
});

const Blank = defineComponent({ render: () => null });

/** Mounts `component` into the document (focus and ids work as in the browser) and lets its loading settle. */
export async function mountIn<C extends Component>(
  component: C,
  options: { props?: Record<string, unknown>; language?: Language; path?: string; routes?: RouteRecordRaw[] } = {},
) {
  await applyLanguage(options.language ?? 'ja');
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [...(options.routes ?? []), { path: '/:rest(.*)*', component: Blank }],
  });
  await router.push(options.path ?? '/');
  await router.isReady();
  const wrapper = mount(component, {
    props: options.props as never,
    attachTo: document.body,
    global: { plugins: [createPinia(), i18n, router] },
  });
  await flushPromises();
  return { wrapper, router };
}

/** The visible text of an element, whitespace collapsed as a reader sees it. */
export const textOf = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
