/**
 * Creating and retitling the extension's context-menu items (the lookup item here, the
 * save items in utils/favorites/context-menu.ts).
 *
 * When to create them depends on the background. Chrome's MV3 service worker: the browser
 * keeps an extension's items while the worker sleeps and restarts, and drops them on
 * install and update, so they are created on runtime.onInstalled (and onStartup, should the
 * browser have lost them). Firefox's build runs a persistent background page, whose items
 * Firefox does not keep: after the add-on is disabled and enabled again, when neither event
 * fires, they would be gone, so there they are created every time the background starts.
 *
 * Creating is remove-then-create of our own ids (never removeAll: other features own items
 * too), one run at a time, so two runs in one session (onInstalled and onStartup) never
 * create an id twice. Titles are in the user's UI language and follow it when it changes.
 */
import { browser } from 'wxt/browser';
import { t } from '../i18n';
import type { BackgroundLanguage } from './language';

type CreateProperties = Parameters<typeof browser.contextMenus.create>[0];

export interface MenuItem {
  id: string;
  /** Message key of the title (utils/i18n `t`). */
  titleKey: string;
  /** Everything else the item is created with. */
  props: Omit<CreateProperties, 'id' | 'title'>;
}

export interface MenuOptions {
  language: BackgroundLanguage;
  /** Create the items as the background starts rather than on install/startup; default: in the Firefox build. */
  createAtStart?: boolean;
}

export interface MenuControl {
  /** Removes and creates the items (after the UI language is known); resolves when the browser has the calls. */
  create(): Promise<void>;
  /** Gives the items their titles in the current UI language. */
  retitle(): Promise<void>;
}

export function registerMenuItems(items: readonly MenuItem[], opts: MenuOptions): MenuControl {
  let queue: Promise<void> = Promise.resolve();
  const serial = (job: () => Promise<void>): Promise<void> => (queue = queue.then(job).catch(() => undefined));

  const create = () =>
    serial(async () => {
      await opts.language.ready;
      for (const item of items) {
        try {
          await browser.contextMenus.remove(item.id);
        } catch {
          /* not there */
        }
        // The browser applies menu calls in order, so the next run's remove comes after this create.
        const failed = (message: string) => console.error(`Context menu item "${item.id}" was not created: ${message}`);
        try {
          browser.contextMenus.create({ ...item.props, id: item.id, title: t(item.titleKey) }, () => {
            const err = browser.runtime.lastError;
            if (err) failed(err.message ?? String(err));
          });
        } catch (err) {
          failed(err instanceof Error ? err.message : String(err));
        }
      }
    });

  const retitle = () =>
    serial(async () => {
      for (const item of items) {
        try {
          await browser.contextMenus.update(item.id, { title: t(item.titleKey) });
        } catch {
          /* not created (yet): it gets the current title when it is */
        }
      }
    });

  if (opts.createAtStart ?? import.meta.env.FIREFOX) {
    void create();
  } else {
    browser.runtime.onInstalled.addListener(() => void create());
    browser.runtime.onStartup.addListener(() => void create());
  }
  opts.language.onChange(() => void retitle());
  return { create, retitle };
}
