import { handleError } from '@/lib/server/http';
import { readSession } from '@/lib/server/session';
import { deliveryStatus } from '@/lib/server/sign-in/delivery-status';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

/** How the pending code's delivery is doing; the code screen polls it. */
export async function GET() {
  try {
    const body = await deliveryStatus(getSignInDeps(), await readSession());
    return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return handleError(error, 'delivery');
  }
}
