import { useEffect, useRef, useState } from 'preact/hooks';
import type { Favorite } from '../utils/favorites/types';
import { LIMITS, checkNote, checkTags, type Problem } from '../utils/favorites/validate';
import { t } from '../utils/i18n';
import { formatTags, parseTags } from './options/logic';

/** Message keys for the editor's errors, so each page words them in its own voice. */
export interface NoteEditorMessages {
  noteInvalid: string;
  tagsInvalid: string;
  /** Wraps a failed save's reason; without it the reason is shown as it is. */
  saveFailed?: string;
}

/** The reason in the UI language, for what a person can type; the store's own words otherwise. */
function reason(field: 'note' | 'tag', r: { error: string; problem?: Problem }): string {
  switch (r.problem) {
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

/**
 * State of the inline note-and-tags editor shared by the popup's Favorites tab and the
 * options page: opening with the saved values, validation with the store's own rules
 * before any round trip, and focus that moves into the form and back to its button.
 */
export function useNoteEditor(
  fav: Favorite,
  onSave: (patch: { note: string; tags: string[] }) => Promise<void>,
  messages: NoteEditorMessages,
) {
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState(fav.note);
  const [tags, setTags] = useState(formatTags(fav.tags));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  // Focus follows the form: into the note when it opens, back to its button when it closes,
  // so keyboard users are never dropped at the top of the page.
  useEffect(() => {
    if (editing) noteRef.current?.focus();
    else if (wasEditing.current) editRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const open = () => {
    setNote(fav.note);
    setTags(formatTags(fav.tags));
    setError(null);
    setEditing(true);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    // The store's own rules, checked here so the reason shows beside the fields, in the UI language.
    const n = checkNote(note.trim());
    if (!n.ok) return setError(t(messages.noteInvalid, reason('note', n)));
    const tg = checkTags(parseTags(tags));
    if (!tg.ok) return setError(t(messages.tagsInvalid, reason('tag', tg)));
    setBusy(true);
    try {
      await onSave({ note: n.value, tags: tg.value });
      setEditing(false);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      setError(messages.saveFailed ? t(messages.saveFailed, reason) : reason);
    } finally {
      setBusy(false);
    }
  };

  return { editing, setEditing, note, setNote, tags, setTags, error, busy, noteRef, editRef, open, submit };
}
