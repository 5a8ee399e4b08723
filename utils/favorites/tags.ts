/**
 * Tags as people type them and as the favorites keep them: the editor's one-line form, and the
 * fold that tells two tags (or a tag and a query word) apart. Shared by the popup, the options
 * page and the import, so an imported tag is one the editor would have written.
 */

/** Lower-cases and strips accents/width variants so "BERT" finds "ｂｅｒｔ" and "Médical" finds "medical". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * Tags are typed as one line; commas (ASCII or Chinese), semicolons and line breaks separate them,
 * and so does a space before a "#" in a part written as the chips show them ("#医学 #NER"). Other spaces stay inside a
 * tag ("named entity") because Chinese users rarely separate with spaces. A leading "#" or "＃" is
 * dropped, and duplicates as the search tells them apart (case and width: "BERT", "ＢＥＲＴ") are
 * one tag, written as first typed. A tag too long is kept whole, for the editor's check to say so
 * rather than save it cut short.
 */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  // A part written as chips ("#医学 #NER") splits before each "#"; a tag with a "#" inside ("issue #12") stays whole.
  const parts = input.split(/[,，;；、\n]/).flatMap((p) => (/^\s*[#＃]/.test(p) ? p.split(/\s+(?=[#＃])/) : [p]));
  for (const raw of parts) {
    const tag = raw.trim().replace(/^[#＃]+/, '').replace(/\s+/g, ' ');
    if (!tag || seen.has(fold(tag))) continue;
    seen.add(fold(tag));
    out.push(tag);
  }
  return out;
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}
