import { RESEND } from '@/lib/server/auth-steps';
import { handleAuthPost } from '@/lib/server/http';

export function POST(request: Request) {
  return handleAuthPost(request, RESEND);
}
