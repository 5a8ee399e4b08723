/**
 * Name flags shared by the build step (build.ts, which sets them) and the engine (which
 * obeys them). A module of its own so the content script never bundles the build step's
 * word lists.
 */

/** Whole-title name: matches only when no other word stands right before or after it (see engine.ts). */
export const F_WHOLE = 1;
/** Short or common-word name: fires only with a distinctive form or when the page supports its entry. */
export const F_GUARD = 2;
/** The published spelling has distinctive case (FedED, CMeKG, cMedQA2): that exact spelling is a distinctive form by itself. */
export const F_CASE = 4;
/**
 * One-token name built from an everyday word and a suffix ("ClinicalBERT"): spaces inside the hit
 * are not allowed ("Clinical BERT" is a kind of model, not this one); hyphens and line breaks still are.
 */
export const F_TIGHT = 8;
/** Name made only of everyday words ("Medical-Dialogue-System", "中文医学知识图谱"): fires only with page support. */
export const F_PROSE = 16;

/** Decodes one stored name string (flags digit + name). */
export function decodeName(s: string): { flags: number; name: string } {
  return { flags: parseInt(s[0], 32), name: s.slice(1) };
}

