import { useEffect, useRef, useState } from 'preact/hooks';
import type { Favorite } from '../utils/favorites/types';
import { checkSyncRoom } from '../utils/favorites/codec';
import { LIMITS, checkNote, checkTags, type Problem } from '../utils/favorites/validate';
import { t } from '../utils/i18n';
import { formatTags, parseTags } from './options/logic';
import { clearDraft, readDraft, writeDraft, type NoteDraft } from './noteDraft';

/** Message keys for the editor's errors, so each page words them in its own voice. */
export interface NoteEditorMessages {
  noteInvalid: string;
  tagsInvalid: string;
  /** Wraps a failed save's reason (the store's words, or the page's own for a favorite gone). */
  saveFailed: string;
}

/** The reason in the UI language, for what a person can type; the store's own words otherwise. */
function reason(field: 'note' | 'tag', r: { error: string; problem?: Problem; sizes?: [number, number] }): string {
  switch (r.problem) {
    case 'too-big':
      return t('editor_tooBigToSync', ...(r.sizes ?? [0, 0]).map((n) => n.toLocaleString()));
    case 'too-long':
      return t(`editor_${field}TooLong`, field === 'note' ? LIMITS.noteLength : LIMITS.tagLength);
    case 'too-many':
      return t('editor_tooManyTags', LIMITS.tags);
    case 'control':
      return t(`editor_${field}Control`);
    case 'html':
      return t(`editor_${field}Html`);
    default:
      return r.error;
  }
}

/** What a save changes: only the fields edited since the form opened. */
export interface NotePatch {
  note?: string;
  tags?: string[];
}

interface NoteEditorSave {
  /** Spreads the patch into `favorites:update`, which keeps a field that is left out. */
  onSave: (patch: NotePatch) => Promise<void>;
}

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** Whether every field a draft typed in is what `fav` holds now, as a save of it would have written it. */
function landed(d: NoteDraft, fav: Favorite): boolean {
  const note = d.note === d.base.note || d.note.trim() === fav.note;
  const tags = d.tags === d.base.tags || sameTags(parseTags(d.tags), fav.tags);
  return note && tags;
}

/**
 * State of the inline note-and-tags editor shared by the popup's Favorites tab and the
 * options page: opening with the saved values, validation with the store's own rules
 * before any round trip, and focus that moves into the form and back to its button.
 *
 * A save sends only the fields changed since the form opened, so a field edited elsewhere
 * meanwhile (a tag added in the popup) is not written back, and tags left alone are not
 * re-split or de-duplicated by the tag parser.
 *
 * A save on its way keeps the form open: Cancel and Esc do nothing until it ends, since the write cannot be
 * called back and a form gone would say nothing was saved. A save that fails shows its reason
 * beside what was typed, which is still there (and still kept as a draft) to try again.
 */
export function useNoteEditor(fav: Favorite, onSave: NoteEditorSave['onSave'], messages: NoteEditorMessages, opts: { keepDraft?: boolean } = {}) {
  // A draft left by a form that went away open (the popup closed, the options page's search hid
  // the row) brings the form back with it: the fields typed in, each other field as saved now.
  // A field typed in whose saved value has changed since (in the other page, on another device)
  // is marked, since saving replaces it. Read once, when the row appears.
  // A draft whose every typed field is what is saved now is a save that landed after the page
  // that sent it had gone (the popup closed before the answer came): nothing is left to bring back.
  const [d] = useState(() => {
    const draft = opts.keepDraft ? readDraft(fav.entryId) : null;
    if (!draft || !landed(draft, fav)) return draft;
    clearDraft(fav.entryId);
    return null;
  });
  const savedTags = formatTags(fav.tags);
  const noteTyped = !!d && d.note !== d.base.note;
  const tagsTyped = !!d && d.tags !== d.base.tags;
  const [editing, setEditingState] = useState(d !== null);
  const [note, setNoteState] = useState(noteTyped ? d!.note : fav.note);
  const [tags, setTagsState] = useState(tagsTyped ? d!.tags : savedTags);
  /**
   * A draft brought back from an earlier form: 'changed' when what it would replace changed
   * meanwhile; 'clash' when, with the form open, a field typed in was changed elsewhere.
   */
  const [restored, setRestored] = useState<false | 'draft' | 'changed' | 'clash'>(
    !d ? false : (noteTyped && fav.note !== d.base.note) || (tagsTyped && savedTags !== d.base.tags) ? 'changed' : 'draft',
  );
  /** What went wrong, and the field it is about (null: the save as a whole), which points at it. */
  const [error, setErrorState] = useState<{ text: string; at: 'note' | 'tags' | null } | null>(null);
  const setError = (text: string | null, at: 'note' | 'tags' | null = null) => setErrorState(text === null ? null : { text, at });
  const [busy, setBusy] = useState(false);
  // Set at once when a save starts (state lags a render), so a second Save meanwhile does nothing.
  const saving = useRef(false);
  const typed = useRef({ note, tags });
  const keep = (next: { note: string; tags: string }) => {
    typed.current = next;
    if (!opts.keepDraft) return;
    const was = opened.current;
    if (next.note === was.note && next.tags === was.tagsText) clearDraft(fav.entryId);
    else writeDraft(fav.entryId, { ...next, base: { note: was.note, tags: was.tagsText } });
  };
  const setNote = (v: string) => {
    setNoteState(v);
    keep({ ...typed.current, note: v });
  };
  const setTags = (v: string) => {
    setTagsState(v);
    keep({ ...typed.current, tags: v });
  };
  /** Closing the form (Cancel, Esc, a save) drops its draft. */
  const setEditing = (on: boolean) => {
    setEditingState(on);
    if (!on) {
      setRestored(false);
      if (opts.keepDraft) clearDraft(fav.entryId);
    }
  };
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  // A form brought back open with a draft does not take focus: the reader may be going elsewhere.
  const wasEditing = useRef(editing);
  /** The saved note and tags, and the tags as written in the field, when the form opened. */
  const opened = useRef({ note: fav.note, tags: fav.tags, tagsText: formatTags(fav.tags) });

  // A field typed in that is changed elsewhere while the form is open (another device, the other
  // page) is said so, since saving replaces it. Not the form's own save landing.
  useEffect(() => {
    if (!editing || saving.current) return;
    const was = opened.current;
    const noteClash = typed.current.note !== was.note && fav.note !== was.note;
    const tagsClash = typed.current.tags !== was.tagsText && !sameTags(fav.tags, was.tags);
    if (noteClash || tagsClash) setRestored('clash');
  }, [fav.note, fav.tags, editing]);

  // Focus follows the form: into the note when it opens, back to its button when it closes,
  // so keyboard users are never dropped at the top of the page.
  useEffect(() => {
    if (editing && !wasEditing.current) noteRef.current?.focus();
    else if (!editing && wasEditing.current) editRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const open = () => {
    opened.current = { note: fav.note, tags: fav.tags, tagsText: formatTags(fav.tags) };
    setNoteState(fav.note);
    setTagsState(opened.current.tagsText);
    typed.current = { note: fav.note, tags: opened.current.tagsText };
    setError(null);
    setRestored(false);
    setEditingState(true);
  };

  /** Cancel and Esc: they close the form, except while a save is on its way. */
  const cancel = () => {
    if (!saving.current) setEditing(false);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (saving.current) return;
    const was = opened.current;
    const patch: NotePatch = {};
    // The store's own rules, checked here so the reason shows beside the fields, in the UI language.
    if (note !== was.note) {
      const n = checkNote(note.trim());
      if (!n.ok) return setError(t(messages.noteInvalid, reason('note', n)), 'note');
      if (n.value !== was.note) patch.note = n.value;
    }
    if (tags !== was.tagsText) {
      const tg = checkTags(parseTags(tags));
      if (!tg.ok) return setError(t(messages.tagsInvalid, reason('tag', tg)), 'tags');
      if (!sameTags(tg.value, was.tags)) patch.tags = tg.value;
    }
    // Sync counts bytes: a note within its characters can still be too big with Chinese text.
    const room = checkSyncRoom({ entryId: fav.entryId, note: patch.note ?? was.note, tags: patch.tags ?? was.tags });
    // Worded as the note's: it is about the note unless only the tags changed.
    if (!room.ok && (patch.note !== undefined || patch.tags !== undefined))
      return setError(t(messages.noteInvalid, reason('note', room)), patch.note !== undefined ? 'note' : 'tags');
    saving.current = true;
    setBusy(true);
    try {
      await onSave(patch);
      setEditing(false);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      setError(t(messages.saveFailed, reason));
    } finally {
      saving.current = false;
      setBusy(false);
    }
  };

  /**
   * The form's keys: Esc leaves it (as Cancel does, not while a save is on its way), and goes no
   * further (the page's own Esc clears or closes);
   * Ctrl/⌘+S or Ctrl/⌘+Enter saves it, rather than the browser saving the page as a file.
   */
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    const save = (e.ctrlKey || e.metaKey) && !e.altKey && (e.key.toLowerCase() === 's' || e.key === 'Enter');
    if (e.key !== 'Escape' && !save) return;
    e.preventDefault();
    e.stopPropagation();
    if (!save) cancel();
    else if (!e.repeat && !saving.current) (e.currentTarget as HTMLFormElement).requestSubmit();
  };

  /** What the form says about its text beside the fields, if anything. */
  const notice = restored === 'clash' ? 'editor_changedWhileTyping' : restored === 'changed' ? 'editor_draftRestoredChanged' : restored ? 'editor_draftRestored' : null;
  return {
    editing,
    setEditing,
    cancel,
    note,
    setNote,
    tags,
    setTags,
    notice,
    error: error?.text ?? null,
    /**
     * A field's aria-invalid and aria-describedby: the field the error is about (none for a failed
     * save) is described by it (`<base>-error`), before what else describes it (`also`, a hint's id).
     */
    fieldAria: (field: 'note' | 'tags', base: string, also?: string) => {
      const ids = [error?.at === field ? `${base}-error` : '', also ?? ''].filter(Boolean).join(' ');
      return { 'aria-invalid': error?.at === field || undefined, 'aria-describedby': ids || undefined };
    },
    busy,
    noteRef,
    editRef,
    open,
    submit,
    onKeyDown,
  };
}
