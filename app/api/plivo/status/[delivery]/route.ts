import { getEnv } from '@/lib/server/env';
import { ApiError } from '@/lib/server/errors';
import { handleRoute, readSmallBody } from '@/lib/server/http';
import { deliveryCallbackUrl, deliveryStateOf, signedByPlivo } from '@/lib/server/plivo/callbacks';
import { recordDeliveryReport } from '@/lib/server/sign-in/sms/delivery-status';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

// A callback carries a dozen short fields; anything much larger is not Plivo's.
const MAX_BODY_BYTES = 4096;
const NONCE = /^[0-9A-Za-z]{8,64}$/;

/** Plivo's status callback for one delivery (the name in the path), signed with our auth token. */
export function POST(request: Request, { params }: { params: Promise<{ delivery: string }> }) {
  return handleRoute('delivery_report', async () => {
    const { delivery } = await params;
    const env = getEnv();
    const nonce = request.headers.get('x-plivo-signature-v2-nonce');
    const signature = request.headers.get('x-plivo-signature-v2');
    if (!nonce || !signature) throw new ApiError('callback_unsigned');
    // The URL Plivo was given, not the one this request arrived at (proxies rewrite hosts).
    if (!NONCE.test(nonce) || !signedByPlivo(deliveryCallbackUrl(env, delivery), nonce, signature, env.PLIVO_AUTH_TOKEN)) {
      throw new ApiError('callback_signature_invalid');
    }
    const fields = await readForm(request);
    const outcome = await recordDeliveryReport(getSignInDeps(), { delivery, nonce, state: deliveryStateOf(fields) });
    return { body: { status: outcome }, log: { channel: fields.get('Channel') ?? undefined, reason: outcome } };
  });
}

async function readForm(request: Request): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
    throw new ApiError('invalid_request');
  }
  try {
    return new URLSearchParams(await readSmallBody(request, MAX_BODY_BYTES));
  } catch {
    throw new ApiError('invalid_request');
  }
}
