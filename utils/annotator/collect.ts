/**
 * Reads a region's text as "blocks": runs of text nodes that render as one line of
 * prose (joined across inline elements), so a name split as `<em>Pub</em>MedQA` still
 * reads whole. Skipped subtrees (code, inputs, our own UI…) are never read.
 *
 * Built for the hot path: a plain firstChild/nextSibling walk (no TreeWalker to create per
 * region, no selector matching per element: a tag-name Set and a few attribute reads), and
 * one reused buffer for a block's nodes and offsets, so reading allocates nothing but the
 * joined text of multi-node blocks.
 */

/**
 * Text-level elements: text on both sides of them belongs to the same block (`wbr`, a place a
 * long word may wrap, too: "Pub<wbr>MedQA" is one word). Not `sup`: it holds footnote and
 * citation marks, whose digits would glue onto the name before them.
 */
const INLINE = new Set(
  'a abbr acronym b bdi bdo big cite data del dfn em font i ins kbd label mark nobr q s samp small span strike strong sub time tt u var wbr'.split(' '),
);

/** The tag part of SKIP_SELECTOR (utils/sites/types.ts), tested by name. */
const SKIP_TAGS = new Set('input textarea select code pre script style noscript svg math template iframe'.split(' '));

export const isInline = (el: Element): boolean => {
  return INLINE.has(el.localName);
};

/** Our UI elements are all `cmed-*` custom elements. */
export const isUiTag = (name: string): boolean => {
  return name.charCodeAt(0) === 99 && name.startsWith('cmed-');
};

/** Same verdict as `el.matches(SKIP_SELECTOR)`, without selector matching (it runs for every element read). */
export const skipped = (el: Element): boolean => {
  return SKIP_TAGS.has(el.localName) || skippedByAttributes(el);
};

/** The attribute part of {@link skipped}. */
const skippedByAttributes = (el: Element): boolean => {
  if (!el.hasAttributes()) return false;
  const editable = el.getAttribute('contenteditable');
  if ((editable !== null && editable !== 'false') || el.hasAttribute('data-cmed-ui')) return true;
  // arXiv's LaTeXML code listings; lines of code GitHub embeds in a comment (a permalink, a suggested change).
  const cls = el.getAttribute('class');
  return cls !== null && ((cls.includes('ltx_') && (el.classList.contains('ltx_listing') || el.classList.contains('ltx_verbatim'))) || (cls.includes('blob-code') && el.classList.contains('blob-code')));
};

/** True if `el` or an ancestor is skipped. */
export const insideSkipped = (el: Element): boolean => {
  for (let p: Element | null = el; p; p = p.parentElement) if (skipped(p)) return true;
  return false;
};

/**
 * One block. The reader reuses this object and its arrays: it is valid until the reader
 * is called again (copy what must outlive that, see {@link copyBlock}).
 */
export interface Block {
  /** nodes[0 … n) are the block's text nodes; starts[i] is the offset of nodes[i] in `joined`. */
  nodes: Text[];
  starts: Int32Array;
  n: number;
  /** The nodes' data joined: the block's text. */
  joined: string;
}

/** Returned by a reader when it stopped to let the caller check the clock. */
export const PENDING = 0;

/** Nodes visited per reader call at most before handing control back. */
const STEP = 1024;

/** Text nodes and characters read, added up by the reader for the pass's counters. */
export interface ReadCount {
  nodesRead: number;
  charsRead: number;
}

export interface BlockReader {
  /** Starts reading `root` (the reader and its buffers are reused from root to root). */
  begin(root: Element): void;
  /** The next block, {@link PENDING} after a bounded amount of walking, or null at the end. */
  nextBlock(): Block | typeof PENDING | null;
}

/**
 * A resumable reader of blocks. `ours(el)` marks our own UI, which is invisible to block
 * joining (so re-runs see the text as before). `count` receives the text nodes and
 * characters read.
 */
export const createBlockReader = (ours: (el: Element) => boolean, count: ReadCount): BlockReader => {
  const block: Block = { nodes: [], starts: new Int32Array(64), n: 0, joined: '' };
  const parts: string[] = [];
  let n = 0;
  let length = 0;
  let root: Element | null = null;
  let cur: Node | null = null;

  const flush = (): Block | null => {
    // Called at every boundary: what follows starts a new block even inside the same
    // block ancestor ("a<br>b", "a<div>b</div>c").
    if (n === 0) return null;
    parts.length = n;
    block.n = n;
    block.joined = n === 1 ? parts[0] : parts.join('');
    count.nodesRead += n;
    count.charsRead += length;
    n = 0;
    length = 0;
    return block;
  };

  return {
    begin(r) {
      root = r;
      cur = r.firstChild;
      n = length = 0;
    },
    nextBlock() {
      if (root === null) return null;
      // Between two calls the page may have moved the node the walk stands at out of the root
      // (into a footer): the walk ends there rather than read the page beyond. The removal
      // brings the root to the annotator's observer, which reads it again. Moved into code
      // (or anything skipped) inside the root, the walk goes on from the outermost skipped
      // element, which it passes over as it would have.
      for (let p = cur?.parentNode; cur && p !== root; p = p?.parentNode) {
        if (!p || p.nodeType !== 1) cur = null;
        else if (skipped(p as Element)) cur = p;
      }
      for (let budget = STEP; budget > 0; budget--) {
        const node = cur;
        if (node === null) {
          root = null;
          return flush();
        }
        let out: Block | null = null;
        let down: Node | null = null;
        const type = node.nodeType;
        if (type === 3) {
          const d = (node as Text).data;
          if (n === block.starts.length) {
            const s = new Int32Array(n * 2);
            s.set(block.starts);
            block.starts = s;
          }
          block.nodes[n] = node as Text;
          block.starts[n] = length;
          parts[n++] = d;
          length += d.length;
        } else if (type === 1) {
          const el = node as Element;
          const name = el.localName;
          if (isUiTag(name) && ours(el)) {
            // Transparent: neither read nor a boundary.
          } else if (!INLINE.has(name)) {
            out = flush();
            if (!SKIP_TAGS.has(name) && !skippedByAttributes(el)) down = el.firstChild;
          } else if (!skipped(el)) down = el.firstChild;
          else out = flush();
        }
        if (down) cur = down;
        else {
          // Next in document order; leaving a block-level element ends the block.
          let p: Node = node;
          for (;;) {
            const next = p.nextSibling;
            if (next) {
              cur = next;
              break;
            }
            const up = p.parentNode;
            if (up === null || up === root) {
              cur = null;
              break;
            }
            p = up;
            if (!INLINE.has((p as Element).localName)) out ??= flush();
          }
        }
        if (out) return out;
      }
      return PENDING;
    },
  };
};

/** A copy of a block that outlives the reader's next call. */
export const copyBlock = (b: Block): Block => {
  return { nodes: b.nodes.slice(0, b.n), starts: b.starts.slice(0, b.n), n: b.n, joined: b.joined };
};

/** Where in a block a UTF-16 offset falls: the node and the offset inside it. */
export const locate = (block: Block, offset: number, isEnd: boolean): [Text, number] => {
  const { starts, nodes } = block;
  // For an end offset, a position equal to a node's start belongs to the previous node's end.
  let lo = 0;
  let hi = block.n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (isEnd ? starts[mid] < offset : starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [nodes[lo], offset - starts[lo]];
};
