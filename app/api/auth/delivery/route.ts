import { handleRoute } from '@/lib/server/http';
import { readSession } from '@/lib/server/session/cookie';
import { deliveryStatus } from '@/lib/server/sign-in/sms/delivery-status';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

/** How the pending code's delivery is doing; the code screen polls it. */
export function GET() {
  return handleRoute('delivery', async () => ({ body: await deliveryStatus(getSignInDeps(), await readSession()) }));
}
