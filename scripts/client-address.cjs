// Preloaded by `npm start` (node --require). With TRUST_PROXY=direct the app faces its clients
// itself, and Next fills X-Forwarded-For from the socket only when the client sent none, so a
// client could name any address it likes. Overwrite the header with the socket's address before
// Next sees the request: per-address limits then count the real peer.
if (process.env.TRUST_PROXY === 'direct') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload (node --require)
  const http = require('node:http');
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithPeerAddress(event, request, ...rest) {
    if (event === 'request') request.headers['x-forwarded-for'] = request.socket.remoteAddress ?? 'unknown';
    return emit.call(this, event, request, ...rest);
  };
  // Tells the app, which refuses TRUST_PROXY=direct in production without it, that it is in place
  // (lib/server/boot-check.ts reads the same symbol): set in this process, so no setting can fake it.
  globalThis[Symbol.for('sms-sign-in.client-address-preload')] = true;
}
