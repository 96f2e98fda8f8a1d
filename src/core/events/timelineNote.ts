/**
 * Exactly one timeline note per real change. Each change has a deterministic key (the deal, what
 * changed, and the deal's state before the change), written into the note. Before writing, the deal's
 * notes are read through its associations (read-after-write consistent, unlike search, which lags);
 * after writing, overlapping writers of the same key converge: everyone keeps the oldest note (lowest
 * id) and archives the others. So 20 overlapping deliveries leave one note, and a retry after a failed
 * note write (the deal is only updated after its note) writes the note that is missing, once.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.js';

const MARKER_PREFIX = 'billwerk change ';

/** A short, stable key for one change: the same inputs always give the same key. */
export function changeKey(...parts: readonly (string | null | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 20);
}

export type NoteWrite = 'written' | 'exists';

export async function writeNoteOnce(deps: Deps, deal: { id: string }, key: string, body: string): Promise<NoteWrite> {
  const marker = `${MARKER_PREFIX}${key}`;
  const before = await notesWithMarker(deps, deal.id, marker);
  if (before.matching.length > 0) return 'exists';
  const note = await deps.hubspot.createNote(`${body}<p>Reference: ${marker}</p>`, { type: 'deals', id: deal.id }, deps.now());
  // Notes known not to carry the marker need no second read; only notes new since then might.
  const same = await notesWithMarker(deps, deal.id, marker, new Set([...before.checked, note.id]), note.id);
  const keep = same.matching.reduce((a, b) => (BigInt(a) <= BigInt(b) ? a : b), same.matching[0] ?? '');
  const extra = same.matching.filter((id) => id !== keep);
  if (extra.length > 0) {
    await deps.hubspot.batchArchive('notes', extra);
    deps.logger.info('overlapping deliveries wrote the same timeline note; kept the oldest', {
      dealId: deal.id,
      key,
      archived: extra.length,
    });
  }
  return 'written';
}

/** The deal's notes carrying `marker`; `known` ids are not read again (`ours` carries it by construction). */
async function notesWithMarker(
  deps: Deps,
  dealId: string,
  marker: string,
  known = new Set<string>(),
  ours?: string,
): Promise<{ matching: string[]; checked: string[] }> {
  const ids = await deps.hubspot.listAssociations('deals', dealId, 'notes');
  const unread = ids.filter((id) => !known.has(id));
  const notes = unread.length > 0 ? await deps.hubspot.batchRead('notes', unread, ['hs_note_body']) : [];
  const matching = notes.filter((n) => (n.properties.hs_note_body ?? '').includes(marker)).map((n) => n.id);
  if (ours && ids.includes(ours)) matching.push(ours);
  return { matching, checked: ids };
}
