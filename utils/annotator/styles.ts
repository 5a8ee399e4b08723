/**
 * Stylesheets of the annotator's UI. Imported by the background only, which sends them to
 * the content script with the card strings (see ui.ts `UiCss`): kept out of the script
 * that ships on every page. The card and banner have a dark variant, chosen by the tone of
 * the page where they show (`data-tone` on the host, see tone.ts), not by the system's theme.
 */
import { KIND_HUES } from '../catalog/kind-hues';
import type { UiCss } from './ui';

const BRAND = '#0b6e66';
/*
 * Nothing of ours is printed: badges, banner and card are hidden under `@media print` (and the
 * highlight is cleared in highlight.css), so a printed paper or README is the page alone.
 * Under forced colours (Windows High Contrast and the like) the browser paints backgrounds in the
 * palette's Canvas, which made the badge's pill and plus vanish: there the badge opts out
 * (`forced-color-adjust: none`) and is drawn in the palette's own link and highlight colours; the
 * card's and the banner's pressed star likewise keep their fill, in the highlight colours.
 * Host rules use !important: for !important declarations the shadow tree's own rules beat the page's.
 * The host is an empty inline (no size, no margins) with the font and line height of the text around it,
 * so its box is the one that text already makes: inserting it never reflows page text nor grows a line.
 * The visual (`.b`, a transparent frame around the pill `.k`) is taken out of flow at its static place
 * and moved by the annotator (a transform) so that its top is 8.5px above the mention's last character,
 * at its right. Where the page leaves room between lines (line-height 1.5 and more, as on GitHub and the
 * Anthology), the pill sits there, its bottom at the text's cap line: it covers no letter of the next
 * word, at most the descenders of the line above. Where lines are tight (`normal`), the frame's top
 * padding lowers it by up to 2.5px, so it overlaps the next glyphs' tops and the line above about
 * equally. The padding is worked out from the page's own font (`1lh`, `1em`, inherited through the
 * host): CSS alone, no style read per badge. Only the pill takes the pointer. The host stays
 * unpositioned: an out-of-flow box whose containing block is an inline costs Chromium a walk over the
 * inline's whole block at every layout (measured: 100 badges on a README forced 32 ms of layout with a
 * positioned host, 18 ms without; on an Anthology event page 47 ms against 10).
 * No `contain: paint` on the host: it would clip the visual to the host's empty box.
 * The host takes the page's `color-scheme` (which `all:initial` would reset), so the ring that parts the
 * badge from the glyphs it overlaps is white on a light page and near-black on one that declares itself
 * dark (GitHub and arXiv's HTML view declare `light dark`, following the system, and arXiv's
 * `only dark` in its dark theme); browsers without `light-dark()` keep the first, white ring.
 * It also takes the page's `visibility`: a mention in a hidden part of the page gets no visible badge.
 * A visual is hidden until placement first sets its style (`.b:not([style])`): it is drawn a frame
 * before it is measured and moved, and never shows at its static place meanwhile.
 *
 * Badges, banner and card draw only while the manifest's stylesheet (highlight.css) is on the page:
 * their display is `var(--cmed-on,none)`, and that sheet gives their hosts `--cmed-on` (`all:initial`
 * leaves custom properties alone). Firefox takes a manifest's stylesheet off open pages when the
 * add-on is disabled or removed, but leaves the elements its scripts made; without the sheet they
 * draw nothing, as the highlight already did.
 */
/**
 * The brand mark: two bars of `line` on a disc of `disc`, drawn at the left of the pill's `::before`,
 * whose text is the kind's letter (`data-k`). Letters in generated content are not page text: a copy
 * of the page's text (rich text included) and find-in-page neither see nor stop at them.
 */
const plus = (line: string, disc: string) =>
  `linear-gradient(${line},${line}) 2px 50%/6px 2px no-repeat,linear-gradient(${line},${line}) 4px 50%/2px 6px no-repeat,radial-gradient(circle at 5px,${disc} 4.5px,#0000 5px) 0 50%/10px 10px no-repeat`;
/** The badge's pill while pointed at, its card open, or focused; `part` a pseudo-element of it. */
const activePill = (part = '') => [':hover', '[aria-expanded=true]', ':focus'].map((s) => `:host(${s}) .k${part}`).join();

const BADGE_CSS = `:host{all:initial!important;color-scheme:inherit!important;visibility:inherit!important;font:inherit!important;display:inline!important;position:static!important;width:0!important;height:0!important;margin:0!important;padding:0!important;border:0!important;cursor:pointer!important;user-select:none!important;outline:none!important}
.b{position:absolute;display:var(--cmed-on,none);height:12px;min-width:16px;padding-top:2.5px;padding-top:clamp(0px,2.5px - (1lh - 1.2em)/2,2.5px);pointer-events:none}
.k{flex:auto;display:flex;align-items:center;gap:1px;box-sizing:border-box;padding:0 2px 0 1px;border-radius:6px;background:${BRAND};color:#fff;font:700 7.5px/12px system-ui,-apple-system,"Segoe UI",sans-serif;white-space:nowrap;box-shadow:0 0 0 1px rgba(255,255,255,.85);box-shadow:0 0 0 1px light-dark(rgba(255,255,255,.85),rgba(13,17,23,.85));opacity:.92;pointer-events:auto}
.b:not([style]){visibility:hidden}
${activePill()}{background:#084f4a;opacity:1}
:host(:focus-visible) .k{outline:2px solid #1a73e8;outline-offset:1px}
.k::before{content:attr(data-k);padding-left:11px;min-height:10px;background:${plus(BRAND, '#fff')}}
@media (forced-colors:active){.k{forced-color-adjust:none;background:LinkText;color:Canvas;box-shadow:0 0 0 1px Canvas;opacity:1}.k::before{background:${plus('LinkText', 'Canvas')}}${activePill()}{background:Highlight;color:HighlightText}${activePill('::before')}{background:${plus('Highlight', 'HighlightText')}}:host(:focus-visible) .k{outline-color:CanvasText}.k::after{color:inherit!important}}
@media print{.b{display:none}}`;

/** The banner's and the card's buttons; each adds its own focus ring rule after BUTTON. */
const BUTTON = 'button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #9cc9c4;border-radius:4px;background:#fff;color:#0b4f4a;cursor:pointer}';
const BUTTON_STATES = `button[aria-pressed=true]{background:${BRAND};color:#fff;border-color:${BRAND}}
button[aria-busy=true]{cursor:progress;opacity:.7}
@media (forced-colors:active){button[aria-pressed=true]{forced-color-adjust:none;background:Highlight;color:HighlightText;border-color:Highlight}}`;

/**
 * The entry's kind as a pill (`.kd[data-kind]`) in the banner and the card, in its own hue as the
 * popup draws it (KIND_HUES): light on a light page, dark on a dark one (the host's data-tone).
 */
const KIND_PILL = `.kd{display:inline-block;padding:0 6px;border-radius:9px;background:hsl(var(--h,175) 65% 93%);color:hsl(var(--h,175) 70% 27%);box-shadow:inset 0 0 0 1px hsl(var(--h,175) 50% 50%/.28);font-size:11px;font-weight:600;line-height:16px;white-space:nowrap}
${Object.entries(KIND_HUES).map(([k, h]) => `.kd[data-kind=${k}]{--h:${h}}`).join('')}
:host([data-tone=dark]) .kd{background:hsl(var(--h,175) 45% 22%);color:hsl(var(--h,175) 70% 84%)}
@media (forced-colors:active){.kd{border:1px solid}}`;

const BANNER_CSS = `:host{all:initial!important;display:var(--cmed-on,none)!important;box-sizing:border-box!important;margin:0 0 10px!important;contain:layout!important}
@media print{:host{display:none!important}}
.r{display:flex;align-items:center;gap:8px;flex-wrap:wrap;box-sizing:border-box;min-height:30px;padding:4px 10px;border:1px solid #b9dcd8;border-left:4px solid ${BRAND};border-radius:6px;background:#f1f8f7;color:#123;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}
svg{width:14px;height:14px;flex:none;color:${BRAND};vertical-align:-2px}
.w{flex:1 1 16em;min-width:0;overflow-wrap:break-word}.a{display:flex;gap:8px;flex:none}
.t{font-weight:600}
${KIND_PILL}
${BUTTON}
button:focus-visible{outline:2px solid #1a73e8;outline-offset:1px}
${BUTTON_STATES}
:host([data-tone=dark]) .r{background:#10292a;border-color:#235c57;color:#e6f0ef}:host([data-tone=dark]) svg{color:#4fc1b5}:host([data-tone=dark]) .p{fill:#10292a}:host([data-tone=dark]) button:not([aria-pressed=true]){background:#16393a;color:#d6f3ef;border-color:#2f6d67}`;

const CARD_CSS = `:host{all:initial!important;position:fixed!important;z-index:2147483647!important;display:var(--cmed-on,none)!important;top:var(--cmed-top,0)!important;left:var(--cmed-left,0)!important}
:host([hidden]){display:none!important}
@media print{:host{display:none!important}}
.c{box-sizing:border-box;width:min(360px,calc(var(--cmed-vw,100vw) - 16px));max-height:min(420px,calc(var(--cmed-vh,100vh) - 16px),var(--cmed-mh,420px));overflow:auto;overscroll-behavior:contain;padding:10px 12px 12px;border:1px solid #c9d6d4;border-top:3px solid ${BRAND};border-radius:8px;background:#fff;color:#1b2524;box-shadow:0 6px 24px rgba(0,0,0,.18);font:13px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;text-align:left}
.h{display:flex;align-items:center;gap:6px;color:#4a5d5b;font-size:11px;text-transform:none}
.h svg{width:13px;height:13px;color:${BRAND};flex:none}
.h .sp{flex:1}
${KIND_PILL}
h2{margin:6px 0 2px;font-size:15px;line-height:1.3;font-weight:650;color:inherit}
.m{margin:0 0 6px;color:#4a5d5b;font-size:12px}
p{margin:6px 0}
ul{margin:6px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 10px}
a{color:#0b5cad;text-decoration:underline}
${BUTTON}
button:focus-visible,a:focus-visible,.c:focus-visible{outline:2px solid #1a73e8;outline-offset:1px}
${BUTTON_STATES}
.x{border:none;background:none;padding:0 4px;font-size:15px;line-height:1;color:#4a5d5b}
.s{margin-left:8px;font-size:11px;color:#b3261e}
.f{display:flex;align-items:center;flex-wrap:wrap;gap:4px 0}.f .sp{flex:1}
.n{display:inline-flex;align-items:center;gap:4px;color:#4a5d5b;font-size:11px;white-space:nowrap}.n button{padding:0 7px;font-size:14px;line-height:18px}
:host([data-tone=dark]) .c{background:#152120;color:#e4eeed;border-color:#2d4341;box-shadow:0 6px 24px rgba(0,0,0,.5)}:host([data-tone=dark]) :is(.h,.m,.x,.n){color:#a9bebb}:host([data-tone=dark]) .s{color:#ffb4ab}:host([data-tone=dark]) a{color:#7ab8ff}:host([data-tone=dark]) .h svg{color:#4fc1b5}:host([data-tone=dark]) .p{fill:#152120}:host([data-tone=dark]) button:not([aria-pressed=true]){background:#1b3533;color:#d6f3ef;border-color:#2f6d67}`;

export const UI_CSS: UiCss = {
  badge: BADGE_CSS,
  banner: BANNER_CSS,
  card: CARD_CSS,
};
