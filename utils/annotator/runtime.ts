/**
 * The extension API for the content script, without webextension-polyfill (about 10 KB
 * the script would otherwise carry on every page): Firefox has a promise-based `browser`,
 * and Chrome's MV3 `chrome` returns promises from runtime.sendMessage and storage since
 * Chrome 99. wxt.config.ts also points `wxt/browser` here for content-script builds, so
 * WXT's own content-script context uses it too. Tests swap the API with {@link setRuntime}.
 */
import type { MessageType, Req, Res, ReplyEnvelope } from '../messages';

type StorageListener = (changes: Record<string, unknown>, area: string) => void;
/** The part of the API the content script uses (WXT's fake browser fits it). */
export interface Api {
  runtime: { id?: string; sendMessage(message: unknown): Promise<unknown> };
  storage: { onChanged: { addListener(fn: StorageListener): void; removeListener(fn: StorageListener): void } };
}

let injected: Api | undefined;

const api = (): Api => {
  const g = globalThis as unknown as { browser?: Api; chrome?: Api };
  // Chrome may define an unusable `browser` stub on some pages; a real one has runtime.id.
  return injected ?? (g.browser?.runtime?.id ? g.browser : (g.chrome as Api));
};

/** The API object (WXT's content-script context reads `browser.runtime.id` through this). */
export const browser: Api = {
  get runtime() {
    return api().runtime;
  },
  get storage() {
    return api().storage;
  },
};

/** Test hook: use this API instead of the global one (e.g. WXT's fakeBrowser); undefined restores it. */
export const setRuntime = (b: Api | undefined): void => {
  injected = b;
};

/** Same contract as utils/messages.ts `sendMessage`, over the shim. */
export const sendMessage = async <K extends MessageType>(type: K, data: Req<K>): Promise<Res<K>> => {
  const reply = (await api().runtime.sendMessage({ __cmed: 1, type, data })) as ReplyEnvelope<Res<K>> | undefined;
  // `Error(…)` without `new` makes the same object, 4 bytes less each in the content scripts.
  if (!reply) throw Error(`No handler answered "${type}"`);
  if (!reply.ok) throw Error(reply.error);
  return reply.value;
};
