/**
 * Stand-ins for the browser APIs WXT's fake browser leaves unimplemented (contextMenus,
 * omnibox), behaving as the browsers do where it matters: menu calls take effect in the
 * order they are made, `create` refuses an id that exists (reported through
 * runtime.lastError to its callback, or as an unchecked error without one), `remove` and
 * `update` reject an unknown id.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

type Listener = (...args: never[]) => unknown;

export function fakeEvent() {
  const listeners: Listener[] = [];
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l), 1),
    hasListener: (l: Listener) => listeners.includes(l),
    fire: (...args: unknown[]) => listeners.map((l) => (l as (...a: unknown[]) => unknown)(...args)),
    get count() {
      return listeners.length;
    },
  };
}

export interface MenuProps {
  id: string;
  title?: string;
  contexts?: string[];
  [k: string]: unknown;
}

export function fakeMenus() {
  const items = new Map<string, MenuProps>();
  /** Every error the browser would have reported or logged, e.g. "Cannot create item with duplicate id x". */
  const errors: string[] = [];
  const later = (fn: () => void) => setTimeout(fn, 0);
  const menus = {
    items,
    errors,
    onClicked: fakeEvent(),
    create: vi.fn((props: MenuProps, callback?: () => void) => {
      const error = items.has(props.id) ? `Cannot create item with duplicate id ${props.id}` : undefined;
      if (error) errors.push(error);
      else items.set(props.id, { ...props });
      later(() => {
        const runtime = fakeBrowser.runtime as { lastError?: { message: string } };
        runtime.lastError = error ? { message: error } : undefined;
        try {
          callback?.();
        } finally {
          runtime.lastError = undefined;
        }
      });
      return props.id;
    }),
    remove: vi.fn(async (id: string) => {
      if (!items.delete(id)) throw new Error(`Cannot find menu item with id ${id}`);
    }),
    update: vi.fn(async (id: string, props: Partial<MenuProps>) => {
      const item = items.get(id);
      if (!item) throw new Error(`Cannot find menu item with id ${id}`);
      Object.assign(item, props);
    }),
    removeAll: vi.fn(async () => items.clear()),
  };
  return menus;
}

export function fakeOmnibox() {
  return { onInputStarted: fakeEvent(), onInputChanged: fakeEvent(), onInputEntered: fakeEvent(), setDefaultSuggestion: vi.fn() };
}

/** Puts fresh menus and omnibox on the fake browser (after fakeBrowser.reset()). */
export function installFakes() {
  const menus = fakeMenus();
  const omnibox = fakeOmnibox();
  Object.assign(fakeBrowser, { contextMenus: menus, omnibox });
  return { menus, omnibox };
}

/** Lets queued promise jobs and zero-delay timers run. */
export const flush = async (times = 5) => {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
};
