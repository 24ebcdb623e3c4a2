// The local members area's Directus collections (dev/directus/seed-members.ts), as the members page
// and its client component read it. Types only: nothing of this reaches the client bundle.

export type MemberNews = { id: number; sort: number | null; title: string; summary: string | null; image: string | null };

/** One person's row: `owner` is their directus_users id (lib/server/own-rows.ts reads only theirs). */
export type MemberNote = { id: number; owner: string; text: string };

export type MembersSchema = { member_news: MemberNews[]; member_notes: MemberNote[] };
