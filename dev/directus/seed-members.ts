// Idempotent seed of the local members area: a small collection the member role may read, with a
// picture, so /members can show the server helper and the pass-through at work; and notes that
// each belong to one person, so it can show per-person rows (lib/server/own-rows.ts) too.
import { deflateSync, crc32 } from 'node:zlib';

import type { Log } from './child';
import { LOCAL_STACK } from '../../lib/local-stack';
import { createHttp } from '../../scripts/directus-setup/http';

export const MEMBERS_COLLECTION = 'member_news';
/** Per-person rows: each note's `owner` is a directus_users id. */
export const NOTES_COLLECTION = 'member_notes';

const NEWS = [
  {
    sort: 1,
    title: 'Welcome to the members area',
    summary: 'Everything on this page is read from Directus as you, with your own credential.',
    picture: true,
  },
  {
    sort: 2,
    title: 'Reading room hours',
    summary: 'The reading room is open to members from 9:00 to 17:00, Monday to Friday.',
    picture: false,
  },
  { sort: 3, title: 'Annual meeting', summary: 'The annual meeting takes place on the first Saturday of March.', picture: false },
];

const FIELDS = [
  { field: 'id', type: 'integer', meta: { hidden: true, readonly: true }, schema: { is_primary_key: true, has_auto_increment: true } },
  { field: 'sort', type: 'integer', meta: { hidden: true }, schema: {} },
  { field: 'title', type: 'string', meta: { interface: 'input', required: true }, schema: { is_nullable: false } },
  { field: 'summary', type: 'text', meta: { interface: 'input-multiline' }, schema: {} },
  { field: 'image', type: 'uuid', meta: { interface: 'file-image', special: ['file'] }, schema: {} },
];

const NOTE_FIELDS = [
  { field: 'id', type: 'integer', meta: { hidden: true, readonly: true }, schema: { is_primary_key: true, has_auto_increment: true } },
  {
    field: 'owner',
    type: 'uuid',
    meta: { interface: 'select-dropdown-m2o', special: ['m2o'], required: true },
    schema: { is_nullable: false },
  },
  { field: 'text', type: 'text', meta: { interface: 'input-multiline', required: true }, schema: { is_nullable: false } },
];

/** The demo member's note, and one of the admin's that no member may ever be shown. */
export const NOTES = { demoMember: 'Your membership renews on 1 March.', admin: 'Staff only: not for any member to see.' };

/**
 * The collection `member_news` and its items, and the member policy's read of it and of files
 * (collection-wide reads without filters, which unlicensed Directus allows: members can then read
 * every file, fine for a local stack).
 */
export async function seedMembersArea({
  url,
  adminToken,
  memberPolicyId,
  log,
}: {
  url: string;
  adminToken: string;
  memberPolicyId: string;
  log: Log;
}): Promise<string[]> {
  const admin = createHttp({ url, token: adminToken });
  const changes: string[] = [];

  const collections = await admin<{ collection: string }[]>('GET', '/collections?fields=collection');
  if (!collections.some((c) => c.collection === MEMBERS_COLLECTION)) {
    await admin('POST', '/collections', {
      collection: MEMBERS_COLLECTION,
      meta: { icon: 'newspaper', sort_field: 'sort', note: 'Read by members on /members' },
      schema: {},
      fields: FIELDS,
    });
    await admin('POST', '/relations', {
      collection: MEMBERS_COLLECTION,
      field: 'image',
      related_collection: 'directus_files',
      schema: { on_delete: 'SET NULL' },
    });
    changes.push(`created collection ${MEMBERS_COLLECTION}`);
  }

  if (!collections.some((c) => c.collection === NOTES_COLLECTION)) {
    await admin('POST', '/collections', {
      collection: NOTES_COLLECTION,
      meta: { icon: 'sticky_note_2', note: "Each note is one person's: /members shows a member theirs only" },
      schema: {},
      fields: NOTE_FIELDS,
    });
    await admin('POST', '/relations', {
      collection: NOTES_COLLECTION,
      field: 'owner',
      related_collection: 'directus_users',
      schema: { on_delete: 'CASCADE' },
    });
    changes.push(`created collection ${NOTES_COLLECTION}`);
  }

  const granted = await admin<{ collection: string }[]>(
    'GET',
    `/permissions?fields=collection&limit=-1&filter=${encodeURIComponent(JSON.stringify({ policy: { _eq: memberPolicyId }, action: { _eq: 'read' } }))}`,
  );
  // A collection-wide read of the notes too: all unlicensed Directus allows. The app scopes it.
  for (const collection of [MEMBERS_COLLECTION, NOTES_COLLECTION, 'directus_files']) {
    if (granted.some((p) => p.collection === collection)) continue;
    await admin('POST', '/permissions', { policy: memberPolicyId, collection, action: 'read', fields: ['*'] });
    changes.push(`granted members read on ${collection}`);
  }

  const [anyItem] = await admin<unknown[]>('GET', `/items/${MEMBERS_COLLECTION}?fields=id&limit=1`);
  if (!anyItem) {
    const image = await uploadPicture(url, adminToken);
    await admin(
      'POST',
      `/items/${MEMBERS_COLLECTION}`,
      NEWS.map(({ picture, ...item }) => ({ ...item, image: picture ? image : null })),
    );
    changes.push(`added ${NEWS.length} member news items`);
  }
  const [anyNote] = await admin<unknown[]>('GET', `/items/${NOTES_COLLECTION}?fields=id&limit=1`);
  if (!anyNote) {
    const idOf = async (email: string) =>
      (await admin<{ id: string }[]>('GET', `/users?fields=id&filter=${encodeURIComponent(JSON.stringify({ email: { _eq: email } }))}`))[0]
        ?.id;
    const [demoMember, adminUser] = await Promise.all([idOf(LOCAL_STACK.demoMember.email), idOf(LOCAL_STACK.directus.adminEmail)]);
    if (!demoMember || !adminUser) throw new Error('seeding the members area: the demo member and the admin must exist first');
    await admin('POST', `/items/${NOTES_COLLECTION}`, [
      { owner: demoMember, text: NOTES.demoMember },
      { owner: adminUser, text: NOTES.admin },
    ]);
    changes.push('added a note for the demo member and one for the admin');
  }
  log(changes.length > 0 ? `seed: ${changes.join('; ')}` : 'seed: members area already present');
  return changes;
}

async function uploadPicture(url: string, adminToken: string): Promise<string> {
  const form = new FormData();
  form.append('title', 'Members area');
  form.append('file', new Blob([new Uint8Array(picture())], { type: 'image/png' }), 'members-area.png');
  const response = await fetch(`${url}/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}` },
    body: form,
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`uploading the members area picture: Directus answered ${response.status}`);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

/** A 240×120 PNG: two bands of colour, drawn here so the seed needs no binary file. */
function picture(width = 240, height = 120): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = y * (width * 3 + 1) + 1 + x * 3;
      const band = y < height / 2 ? [37, 99, 235] : [250, 204, 21];
      rows.set(
        band.map((c) => Math.min(255, c + Math.round((x / width) * 40))),
        offset,
      );
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
