import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { messageClient } from '../../../components/options/client';
import { dispatch, type Handlers } from '../../../utils/messages';
import { DEFAULT_SETTINGS } from '../../../utils/favorites/types';
import { applySettingsPatch } from '../../../utils/favorites/settings';
import { fav } from './fixtures';

/** Stands in for the background: the same dispatch() the real one uses, over the fake runtime. */
function serve(handlers: Partial<Handlers>) {
  const seen: unknown[] = [];
  fakeBrowser.runtime.onMessage.addListener((msg: unknown) => {
    seen.push(msg);
    return dispatch(handlers, msg, {});
  });
  return seen;
}

afterEach(() => fakeBrowser.reset());

describe('messageClient over the message protocol', () => {
  it('sends typed envelopes and unwraps replies', async () => {
    const removed = [fav('cmeee')];
    const seen = serve({
      'favorites:get': () => ({ favorites: removed, area: 'sync', notices: [] }),
      'favorites:remove': ({ entryIds }) => ({ removed: removed.filter((f) => entryIds.includes(f.entryId)) }),
      'favorites:restore': ({ favorites }) => ({ restored: favorites.length, favorites }),
      'settings:set': (patch) => applySettingsPatch(DEFAULT_SETTINGS, patch),
    });
    expect((await messageClient.getFavorites()).favorites).toHaveLength(1);
    expect(await messageClient.remove(['cmeee'])).toEqual(removed);
    expect(await messageClient.restore(removed)).toBe(1);
    expect((await messageClient.setSettings({ theme: 'dark' })).theme).toBe('dark');
    expect(seen[1]).toEqual({ __cmed: 1, type: 'favorites:remove', data: { entryIds: ['cmeee'] } });
  });

  it('surfaces the background error text', async () => {
    serve({ 'favorites:update': () => Promise.reject(new Error('note contains HTML markup, which is not allowed')) });
    await expect(messageClient.update('x', { note: '<b>' })).rejects.toThrow(/HTML markup/);
  });

  it('reports storage changes once per burst', async () => {
    vi.useFakeTimers();
    const cb = vi.fn();
    const off = messageClient.onExternalChange(cb);
    await browser.storage.sync.set({ 'fav:v1:0': 'a' });
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 0 } });
    vi.advanceTimersByTime(200);
    expect(cb).toHaveBeenCalledTimes(1);
    off();
    await browser.storage.sync.set({ 'fav:v1:0': 'b' });
    vi.advanceTimersByTime(200);
    expect(cb).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it('reports only changes to what the page shows: favorites, their state and notices, set-aside data, settings', async () => {
    vi.useFakeTimers();
    try {
      const cb = vi.fn();
      const off = messageClient.onExternalChange(cb);
      const reloadsAfter = async (write: () => Promise<void>) => {
        cb.mockClear();
        await write();
        vi.advanceTimersByTime(200);
        return cb.mock.calls.length;
      };
      // The background's per-tab record of each page pass, and its own bookkeeping: no reload.
      expect(await reloadsAfter(() => browser.storage.session.set({ 'annotator:tab:5': { entryIds: ['cmeee'] } }))).toBe(0);
      expect(await reloadsAfter(() => browser.storage.local.set({ 'sync-mirror:v1': { seen: {} } }))).toBe(0);
      expect(await reloadsAfter(() => browser.storage.sync.set({ 'unrelated:v1': 1 }))).toBe(0);
      // Everything the page shows: a reload each.
      for (const [area, key] of [
        ['sync', 'fav:v1:0'],
        ['sync', 'fav:meta'],
        ['sync', 'fav:rm:0'],
        ['sync', 'favorites'],
        ['sync', 'settings:v1'],
        ['local', 'fav:state'],
        ['local', 'fav:local:v1'],
        ['local', 'fav:snap:v1'],
        ['local', 'notices:v1'],
        ['local', 'quarantine:1700000000000:fav:v1:2'],
      ] as const) {
        expect(await reloadsAfter(() => browser.storage[area].set({ [key]: `${area}/${key}` })), `${area} ${key}`).toBe(1);
      }
      off();
    } finally {
      vi.useRealTimers();
    }
  });
});
