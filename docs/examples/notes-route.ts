// A route handler of your own (as app/api/notes/route.ts): the person's own notes as JSON, for
// client code of yours that cannot read them through the pass-through (docs/pass-through.md).
import { requestLocale } from '@/lib/i18n/request';
import type { MembersSchema } from '@/lib/members';
import { ApiError, errorResponse } from '@/lib/server/errors';
import { readOwnRows } from '@/lib/server/own-rows';

export async function GET() {
  const notes = await readOwnRows<MembersSchema, 'member_notes', 'id' | 'text'>('route-handler', 'member_notes', {
    owner: 'owner',
    fields: ['id', 'text'],
  });
  if (notes.kind !== 'signed_in') {
    // Errors in the API's shape, in the person's language.
    return errorResponse(notes.kind === 'signed_out' ? new ApiError('unauthorized') : notes.error, await requestLocale());
  }
  return Response.json({ notes: notes.value }, { headers: { 'Cache-Control': 'private, no-store' } });
}
