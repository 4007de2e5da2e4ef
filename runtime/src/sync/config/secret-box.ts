import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks a sealed value, and the format's version, so a plaintext one (stored before encryption came) is told apart. */
const SEALED = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value this instance's key does not open: another key sealed it, or it was altered. */
export class SecretKeyMismatch extends Error {
  override readonly name = 'SecretKeyMismatch';
}

/**
 * Seals the secrets the runtime keeps at rest with AES-256-GCM: a random IV
 * a value, and the value's purpose (which field it is) as associated data,
 * so that a sealed value moved to another field does not open there.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`an AES-256 key is 32 bytes, not ${key.length}`);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED);
  }

  seal(plain: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(purpose));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${SEALED}${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  open(value: string, purpose: string): string {
    const bytes = Buffer.from(value.slice(SEALED.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(purpose));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyMismatch(`a stored ${purpose} does not open with this instance's secret key`);
    }
  }
}
