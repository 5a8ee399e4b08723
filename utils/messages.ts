/**
 * The one typed message protocol between the extension's contexts.
 * Every request goes to the background, which owns all writes to favorites and
 * settings (one writer, so concurrent saves from several tabs cannot lose updates).
 * `sendMessage` is called only from inside handlers/main(), never at module top level.
 */
import { browser } from 'wxt/browser';
import type { Favorite, FavoritesSnapshot, Settings, SettingsPatch } from './favorites/types';
import type { ImportChange } from './favorites/merge';
import type { AnnotatorInit, AnnotatorInitReq, CardData } from './annotator/types';
import type { RevealResult } from './annotator/reveal';

export interface SaveInput {
  entryId: string;
  note?: string;
  tags?: string[];
}

export interface ProtocolMap {
  /** Idempotent: saving a saved entry keeps it (and its note/tags unless given). */
  'favorites:save': { req: SaveInput; res: Favorite };
  /** Explicit removal; returns what was removed so the caller can offer undo. */
  'favorites:remove': { req: { entryIds: string[] }; res: { removed: Favorite[] } };
  /** Puts back favorites exactly as they were (undo of a removal). */
  /** `favorites`: each as it now stands (a favorite saved again meanwhile may keep its newer note). */
  'favorites:restore': { req: { favorites: Favorite[] }; res: { restored: number; favorites: Favorite[] } };
  'favorites:update': { req: { entryId: string; note?: string; tags?: string[] }; res: Favorite | null };
  'favorites:get': { req: void; res: FavoritesSnapshot };
  /** Merges parsed import favorites without duplicates; `changes`: what it changed, for `favorites:undoImport`. */
  'favorites:import': { req: { favorites: Favorite[] }; res: { added: number; updated: number; unchanged: number; changes: ImportChange[] } };
  /**
   * Undo of an import: takes back the `changes` it returned where they are still what the import
   * left. `reverted`: favorites changed back or removed; `left`: those changed or removed since (in
   * part or whole), whose changes stay.
   */
  'favorites:undoImport': { req: { changes: ImportChange[] }; res: { reverted: number; left: number } };
  /** Options page: hides a persisted notice (by StoreNotice.id), or all of them when no id is given. Set-aside data stays. */
  'favorites:dismissNotice': { req: { id?: string }; res: void };
  'settings:get': { req: void; res: Settings };
  'settings:set': { req: SettingsPatch; res: Settings };
  /** Content script → background: the distinct catalog entries found on this tab. */
  'page:found': { req: { entryIds: string[]; url: string }; res: void };
  /** Popup → background: what the annotator found on the given tab. */
  'page:get': { req: { tabId: number }; res: { entryIds: string[]; url: string } | null };
  /**
   * Popup → background: "show on page" for one entry the tab reported: scroll to its first
   * visible mark and focus it (opening its card), or to the banner of the entry's own page.
   */
  'page:reveal': { req: { tabId: number; entryId: string }; res: RevealResult };
  /** Content script → background: whether to annotate this site, and (if asked) the matcher data and card strings. */
  'annotator:init': { req: AnnotatorInitReq; res: AnnotatorInit };
  /**
   * Content script → background: inject the hover card and banner module
   * (entrypoints/annotator-ui.ts) into the sender's frame; resolves once it has run.
   */
  'annotator:ui': { req: void; res: true };
  /** Card module → background: the entries saved as favorites (IDs only), to mark their badges. */
  'annotator:saved': { req: void; res: string[] };
  /** Content script → background: one entry's hover-card data in the UI language, with its favorite state. */
  /** `lang`: the card's language as its strings give it (card_lang); the setting's without it. */
  'catalog:card': { req: { id: string; lang?: string }; res: CardData | null };
}

export type MessageType = keyof ProtocolMap;
export type Req<K extends MessageType> = ProtocolMap[K]['req'];
export type Res<K extends MessageType> = ProtocolMap[K]['res'];

export interface Envelope<K extends MessageType = MessageType> {
  __cmed: 1;
  type: K;
  data: Req<K>;
}

export type ReplyEnvelope<T> = { ok: true; value: T } | { ok: false; error: string };

export async function sendMessage<K extends MessageType>(type: K, data: Req<K>): Promise<Res<K>> {
  const envelope: Envelope<K> = { __cmed: 1, type, data };
  const reply = (await browser.runtime.sendMessage(envelope)) as ReplyEnvelope<Res<K>> | undefined;
  if (!reply) throw new Error(`No handler answered "${type}"`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/** Who sent a message: the tab and frame of a content script, or nothing for extension pages. */
export interface Sender {
  tabId?: number;
  frameId?: number;
  url?: string;
  /**
   * true: one of our own pages (the popup, the options page), opened as a popup or in a tab.
   * false: anything else, i.e. a content script, running in a web page that may be compromised.
   * The background's message listener always says which; calls made inside the background leave it out.
   */
  ours?: boolean;
}

/**
 * What a content script (and the card module it loads into its page) sends; a sender that
 * is not one of our pages gets nothing else answered, so the background offers a page no
 * more than the content script needs. This narrows the message surface only: a content
 * script can still read and write `storage.local` and `storage.sync` itself (the browsers
 * give content scripts those areas; only `storage.session` can be closed to them).
 */
export const CONTENT_SCRIPT_MESSAGES: ReadonlySet<MessageType> = new Set<MessageType>([
  'annotator:init',
  'annotator:ui',
  'annotator:saved',
  'catalog:card',
  'page:found',
  'favorites:save',
]);

/** Why a message from outside our pages is refused, or undefined when it is served. */
function refusal(msg: Envelope): string | undefined {
  if (!CONTENT_SCRIPT_MESSAGES.has(msg.type)) return `"${msg.type}" is answered only to the extension's own pages`;
  if (msg.type === 'favorites:save') {
    // The card's star saves an entry as it is; a note or tags come only from our pages.
    const data = msg.data as unknown;
    const onlyId = typeof data === 'object' && data !== null && Object.keys(data).every((k) => k === 'entryId');
    if (!onlyId) return 'A page saves a favorite by its entry ID only';
  }
  return undefined;
}

/**
 * A reply as a page may see it: a saved favorite without its note and tags, which are for our
 * own pages (saving a saved entry changes nothing and would otherwise hand its note back).
 */
function forPage(type: MessageType, value: unknown): unknown {
  if (type !== 'favorites:save' || typeof value !== 'object' || value === null) return value;
  const { note: _note, tags: _tags, ...rest } = value as Favorite;
  return rest;
}

export type Handlers = {
  [K in MessageType]: (data: Req<K>, sender: Sender) => Promise<Res<K>> | Res<K>;
};

export function isEnvelope(msg: unknown): msg is Envelope {
  return typeof msg === 'object' && msg !== null && (msg as Envelope).__cmed === 1 && typeof (msg as Envelope).type === 'string';
}

/**
 * Dispatches one message to its handler; errors become `{ ok: false }` replies
 * rather than rejections so the caller gets the message text. A sender that is not one of
 * our pages (`ours: false`) is served only {@link CONTENT_SCRIPT_MESSAGES}.
 */
export async function dispatch(
  handlers: Partial<Handlers>,
  msg: unknown,
  sender: Sender,
): Promise<ReplyEnvelope<unknown> | undefined> {
  if (!isEnvelope(msg)) return undefined;
  const handler = handlers[msg.type] as ((d: unknown, s: typeof sender) => unknown) | undefined;
  if (!handler) return { ok: false, error: `Unknown message "${msg.type}"` };
  const refused = sender.ours === false ? refusal(msg) : undefined;
  if (refused) return { ok: false, error: refused };
  try {
    const value = await handler(msg.data, sender);
    return { ok: true, value: sender.ours === false ? forPage(msg.type, value) : value };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
