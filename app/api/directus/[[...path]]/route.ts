import { passThrough } from '@/lib/server/pass-through';

// Client components read Directus as the signed-in person here (docs/pass-through.md); what may
// pass is DIRECTUS_PASS_THROUGH. HEAD is answered by GET.
export { passThrough as GET, passThrough as POST, passThrough as PATCH, passThrough as PUT, passThrough as DELETE };
