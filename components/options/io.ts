// TEMPORARY stub until utils/favorites/import.ts and export.ts land.
import type { Favorite } from '../../utils/favorites/types';
import type { Result } from '../../utils/favorites/validate';
import type { ExportFormat } from './logic';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export interface PreviewItem {
  label: string;
  detail?: string;
}
export interface ImportPreviewView {
  favorites: Favorite[];
  added: PreviewItem[];
  updated: PreviewItem[];
  unchanged: PreviewItem[];
  unknown: PreviewItem[];
}
export function renderExport(_format: ExportFormat, favorites: Favorite[]): string {
  return JSON.stringify(favorites);
}
export function previewImport(_text: string, _current: Favorite[]): Result<ImportPreviewView> {
  return { ok: false, error: 'not yet' };
}
