// Plivo's V2 request signature (reference §7, D12): base64 HMAC-SHA256 keyed with the auth token
// over the callback URL without its query string, followed by the nonce. The SDK's
// validateSignature(uri, nonce, signature, authToken) checks exactly this.
import { createHmac, randomInt } from 'node:crypto';

export function signatureV2(url: string, nonce: string, authToken: string): string {
  const parsed = new URL(url);
  const withoutQuery = `${parsed.origin}${parsed.pathname}`;
  return createHmac('sha256', authToken)
    .update(withoutQuery + nonce)
    .digest('base64');
}

/** Plivo's nonces are long decimal strings. */
export function newNonce(): string {
  let nonce = '';
  while (nonce.length < 20) nonce += String(randomInt(0, 10));
  return nonce;
}
