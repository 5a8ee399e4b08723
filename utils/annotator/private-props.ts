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
 * Renaming them saved 554–565 bytes a script when introduced; names of the platform's own objects (DOM,
 * JavaScript) are never mangled, listed here or not.
 */
export const CONTENT_PRIVATE_PROPS = [
  // Annotator options and the annotator's own objects
  'adapter',
  'loadUi',
  'report',
  'sliceBudget',
  'requestFull',
  'foundEntries',
  'block',
  'found',
  'missed',
  // A mention's start and end text nodes
  'sn',
  'en',
  // Block reader
  'nodes',
  'starts',
  // Slicer
  'maxSlice',
  'busy',
  'due',
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
  // Site adapter
  'hosts',
  'pageType',
  'bannerAnchor',
  'pageIds',
  // GitHub adapter's parsed repository path (not its `repo`: a page type, a key of its regions table), and the page-ID list's set
  'owner',
  'rest',
  'seen',
  // Content script context
  'isInvalid',
  'onInvalidated',
] as const;

/** The names above as terser's `mangle.properties.regex`. */
export function privatePropsPattern(): RegExp {
  return new RegExp(`^(?:${CONTENT_PRIVATE_PROPS.join('|')})$`);
}
