// A server action of your own: writes as the person, so Directus's permissions decide (here the
// member policy would need create on member_notes; the local stack grants read only).
'use server';

import { createItem } from '@directus/sdk';

import type { MembersSchema } from '@/lib/members';
import { asPerson } from '@/lib/server/as-person';

export async function addNote(text: string) {
  const done = await asPerson<MembersSchema, unknown>((directus, user) =>
    directus.request(createItem('member_notes', { owner: user.id, text })),
  );
  return done.kind; // 'signed_in' | 'signed_out' | 'error'
}
