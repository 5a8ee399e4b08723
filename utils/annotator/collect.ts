/**
 * Reads a region's text as "blocks": runs of text nodes that render as one line of
 * prose (joined across inline elements), so a name split as `<em>Pub</em>MedQA` still
 * reads whole. Skipped subtrees (code, inputs, our own UI…) are never read.
 */

/** Text-level elements: text on both sides of them belongs to the same block. */
const INLINE = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdi', 'bdo', 'big', 'cite', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins',
  'kbd', 'label', 'mark', 'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time',
  'tt', 'u', 'var',
]);

export function isInline(el: Element): boolean {
  return INLINE.has(el.localName);
}

export interface Block {
  nodes: Text[];
  /** starts[i] = offset of nodes[i] in `text`. */
  starts: number[];
  text: string;
}

/** Returned by {@link BlockCollector.next} when it stopped to let the caller check the clock. */
export const PENDING = 0;

const SHOW_ELEMENT_AND_TEXT = 0x1 | 0x4;
/** Nodes visited per `next()` call at most before handing control back. */
const STEP = 512;

/**
 * A fast test equivalent to `el.matches(selector)`: a cheap pre-check on the key (tag,
 * class or attribute) of each selector's last compound, confirmed by `matches` only for
 * the few elements that pass it. Cheaper than matching every element, and unlike one
 * upfront querySelectorAll it can be spread over time slices.
 */
export function compileSkip(selector: string): (el: Element) => boolean {
  const tags = new Set<string>();
  const classes: string[] = [];
  const attrs: string[] = [];
  let general = false;
  for (const part of splitTop(selector, ',')) {
    const compound = lastCompound(part.trim());
    const m = /^([a-zA-Z][\w-]*)|^\.([\w-]+)|^\[([\w-]+)/.exec(compound);
    if (!m) general = true;
    else if (m[1]) tags.add(m[1].toLowerCase());
    else if (m[2]) classes.push(m[2]);
    else attrs.push(m[3]);
  }
  return (el) => {
    if (general || tags.has(el.localName)) return el.matches(selector);
    if (!el.hasAttributes()) return false;
    for (const a of attrs) if (el.hasAttribute(a)) return el.matches(selector);
    if (classes.length) {
      const cl = el.classList;
      for (const c of classes) if (cl.contains(c)) return el.matches(selector);
    }
    return false;
  };
}

/** Splits on `sep` outside brackets and parentheses. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** The compound after the last combinator ("div > code.x" → "code.x"). */
function lastCompound(s: string): string {
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && (c === ' ' || c === '>' || c === '+' || c === '~')) start = i + 1;
  }
  return s.slice(start);
}

export interface SkipRules {
  /** Subtrees never read; text on either side of them is a separate block. */
  skip: (el: Element) => boolean;
  /** Our own UI: never read, and invisible to block joining (so re-runs see the text as before). */
  transparent: (el: Element) => boolean;
}

export class BlockCollector {
  private readonly walker: TreeWalker;
  private nodes: Text[] = [];
  private starts: number[] = [];
  private parts: string[] = [];
  private length = 0;
  private block: Node | null = null;
  private lastParent: Node | null = null;
  private pending: Node | null = null;
  private done = false;
  /** Text nodes and characters read, for diagnostics. */
  textNodes = 0;
  chars = 0;

  constructor(
    private readonly root: Element,
    private readonly rules: SkipRules,
  ) {
    this.walker = root.ownerDocument.createTreeWalker(root, SHOW_ELEMENT_AND_TEXT);
  }

  /** The next complete block, {@link PENDING} after a bounded amount of walking, or null at the end. */
  next(): Block | typeof PENDING | null {
    if (this.done) return null;
    const w = this.walker;
    for (let budget = STEP; budget > 0; budget--) {
      let n: Node | null;
      if (this.pending) {
        n = this.pending;
        this.pending = null;
      } else n = w.nextNode();
      if (n === null) {
        this.done = true;
        return this.flush();
      }
      if (n.nodeType === 3) {
        const t = n as Text;
        const parent = t.parentNode;
        if (parent !== this.lastParent) {
          this.lastParent = parent;
          const b = this.blockOf(parent);
          if (b !== this.block) {
            const out = this.flush();
            this.block = b;
            this.push(t);
            if (out) return out;
            continue;
          }
        }
        this.push(t);
        continue;
      }
      const el = n as Element;
      const transparent = this.rules.transparent(el);
      if (transparent || this.rules.skip(el)) {
        // Move past the subtree; the node after it is handled on the next turn.
        this.pending = this.skipSubtree();
        if (this.pending === null) this.done = true;
        if (!transparent) {
          const out = this.flush();
          if (out) return out;
        }
        if (this.done) return this.flush();
        continue;
      }
      if (!INLINE.has(el.localName)) {
        const out = this.flush();
        if (out) return out;
      }
    }
    return PENDING;
  }

  private push(t: Text): void {
    const d = t.data;
    this.nodes.push(t);
    this.starts.push(this.length);
    this.parts.push(d);
    this.length += d.length;
    this.textNodes++;
    this.chars += d.length;
  }

  private flush(): Block | null {
    // Called at every boundary: what follows starts a new block even inside the same
    // block ancestor ("a<br>b", "a<div>b</div>c").
    if (this.nodes.length === 0) return null;
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    const block: Block = { nodes: this.nodes, starts: this.starts, text };
    this.nodes = [];
    this.starts = [];
    this.parts = [];
    this.length = 0;
    return block;
  }

  /** Nearest ancestor that is not a text-level element (or the region root). */
  private blockOf(parent: Node | null): Node | null {
    let p = parent;
    while (p && p !== this.root && p.nodeType === 1 && INLINE.has((p as Element).localName)) p = p.parentNode;
    return p;
  }

  private skipSubtree(): Node | null {
    const w = this.walker;
    let n = w.nextSibling();
    if (n) return n;
    while (w.parentNode()) {
      n = w.nextSibling();
      if (n) return n;
    }
    return null;
  }
}

/** Where in a block a UTF-16 offset falls: the node and the offset inside it. */
export function locate(block: Block, offset: number, isEnd: boolean): [Text, number] {
  const { starts, nodes } = block;
  // For an end offset, a position equal to a node's start belongs to the previous node's end.
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (isEnd ? starts[mid] < offset : starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [nodes[lo], offset - starts[lo]];
}
