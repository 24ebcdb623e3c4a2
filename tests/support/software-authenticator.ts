// A software WebAuthn authenticator for tests without a browser: a P-256 (ES256) or Ed25519 key
// from node:crypto, the "none" attestation (CBOR), authenticator data with its rpIdHash, flags and
// counter, the client data the browser would write, and assertions signed over
// authData || SHA-256(clientDataJSON). Its answers are the JSON a browser's
// PublicKeyCredential.toJSON() gives, which the app and the extension relay and verify.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** Minimal CBOR (RFC 8949) for what attestation needs: unsigned/negative ints, byte and text strings, maps. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(length, 1);
  return out;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export interface Ceremony {
  /** The options' challenge (base64url), as the extension answered it. */
  challenge: string;
  /** The page's origin, which the browser writes into clientDataJSON. */
  origin: string;
  rpId: string;
}

export interface Overrides {
  /** Flags of authenticator data (default UP|UV, plus AT on registration). */
  flags?: number;
  /** The counter to write (default: the authenticator's, which each assertion moves on by one). */
  counter?: number;
  /** The client data's type (default webauthn.create / webauthn.get). */
  type?: string;
}

function coseKey(publicKey: KeyObject, algorithm: 'ES256' | 'Ed25519'): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  if (algorithm === 'Ed25519')
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, x],
      ]),
    );
  const y = Buffer.from(jwk.y!, 'base64url');
  return cbor(
    new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, x],
      [-3, y],
    ]),
  );
}

export class SoftwareAuthenticator {
  readonly credentialId: Buffer;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The user handle the relying party gave at registration (base64url). */
  userHandle = '';
  counter: number;

  constructor(
    private readonly algorithm: 'ES256' | 'Ed25519' = 'ES256',
    { credentialId = randomBytes(32), counter = 0 }: { credentialId?: Buffer; counter?: number } = {},
  ) {
    const pair = algorithm === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.credentialId = credentialId;
    this.counter = counter;
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: string, ceremony: Ceremony): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge: ceremony.challenge, origin: ceremony.origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): the registration response for these creation options. */
  register(ceremony: Ceremony & { userHandle: string }, overrides: Overrides = {}) {
    this.userHandle = ceremony.userHandle;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, coseKey(this.publicKey, this.algorithm)]);
    const authData = this.authData(
      ceremony.rpId,
      overrides.flags ?? FLAGS.UP | FLAGS.UV | FLAGS.AT,
      overrides.counter ?? this.counter,
      attested,
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData(overrides.type ?? 'webauthn.create', ceremony)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get(): an assertion for these request options, the counter moved on by one. */
  assert(ceremony: Ceremony, overrides: Overrides = {}) {
    const counter = overrides.counter ?? (this.counter += 1);
    const authData = this.authData(ceremony.rpId, overrides.flags ?? FLAGS.UP | FLAGS.UV, counter);
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.get', ceremony);
    const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
    const signature = sign(this.algorithm === 'ES256' ? 'sha256' : null, signed, this.privateKey);
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: this.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
