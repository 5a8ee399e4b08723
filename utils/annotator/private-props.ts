/**
 * Property names that the content scripts' minifier shortens (terser's property mangling,
 * wxt.config.ts). Each names a member of an object that lives and dies inside one content
 * script: the annotator's options and mentions, the block reader's blocks, the slicer, the
 * automaton's runtime object, the site adapter, the script's context. None may name a member
 * of anything that crosses the script's edge — a message or its reply (utils/messages.ts),
 * the matcher data the background sends, the pass statistics published as a User Timing
 * measure's detail, the interface the hover card's module (a separate script) is driven
 * through, the event older copies of the script listen for — because the other side keeps
 * the long name. tests/unit/build/private-props.test.ts checks that against those types.
 *
 * Renaming them saved 554–565 bytes a script when introduced. Names of the platform's own objects
 * (DOM, JavaScript) must not be listed: the minifier would rename them too (it may give ours the
 * platform's short names, see wxt.config.ts).
 */
export const CONTENT_PRIVATE_PROPS = [
  // Annotator options and the annotator's own objects
  'adapter',
  'loadUi',
  'report',
  'sliceBudget',
  'onRoot',
  'requestFull',
  'foundEntries',
  'isOn',
  'block',
  'found',
  'missed',
  // A mention's start and end text nodes
  'sn',
  'en',
  // A mention's range and badge, the banner's host (names of their own: `range`, `badge` and `host` are platform names, left long)
  'textRange',
  'badgeEl',
  'hostEl',
  // Block reader
  'nodes',
  'starts',
  // (its own names: `text`, `start` and `next` are platform names, `textNodes` and `chars` pass statistics, left long)
  'joined',
  'begin',
  'nextBlock',
  'nodesRead',
  'charsRead',
  // Slicer
  'maxSlice',
  'busy',
  'due',
  // (its own names: `slices` is a pass statistic's, `yield`, `close` and `pause` platform names, left long)
  'sliceCount',
  'yieldSlice',
  'closeSlice',
  'pauseFor',
  // Automaton at run time
  'hitEnd',
  'feed',
  'scan',
  'edgeSym',
  'term',
  'row',
  'out',
  // Matcher: the page-ID lookup, and a match's `via`
  'byId',
  'via',
  // The scan context's evidenced entries (`supported` is a platform name, left long)
  'supportedIds',
  // (its own names: `sym`, `dense`, `rows`, `first`, `fail` and `lens` are the packed matcher's, `delta`, `root` and `at` platform names, left long)
  'symOf',
  'denseMax',
  'rowCount',
  'deltaRows',
  'firstEdge',
  'failLink',
  'patLens',
  'rootTo',
  'stopAt',
  // Site adapter
  'hosts',
  'pageType',
  'bannerAnchor',
  'pageIds',
  'idKey',
  // GitHub adapter's parsed repository path (not its `repo`: a page type, a key of its regions table)
  'owner',
  'rest',
  // Content script context
  'isInvalid',
  'onInvalidated',
] as const;

/** The names above as terser's `mangle.properties.regex`. */
export function privatePropsPattern(): RegExp {
  return new RegExp(`^(?:${CONTENT_PRIVATE_PROPS.join('|')})$`);
}
