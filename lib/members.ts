// The local members area's Directus collection (dev/directus/seed-members.ts), as the members page
// and its client component read it. Types only: nothing of this reaches the client bundle.

export type MemberNews = { id: number; sort: number | null; title: string; summary: string | null; image: string | null };

export type MembersSchema = { member_news: MemberNews[] };
