// `output: 'standalone'` leaves out static assets; copy them next to server.js so
// `npm start` (node .next/standalone/server.js) serves a complete app, with the preload that
// gives TRUST_PROXY=direct the socket's address.
import { cpSync, existsSync } from 'node:fs';

if (existsSync('.next/static')) cpSync('.next/static', '.next/standalone/.next/static', { recursive: true });
if (existsSync('public')) cpSync('public', '.next/standalone/public', { recursive: true });
cpSync('scripts/client-address.cjs', '.next/standalone/client-address.cjs');
