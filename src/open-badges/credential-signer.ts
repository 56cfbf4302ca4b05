import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { issue } from '@digitalbazaar/vc';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { localDocumentLoader } from './document-loader';

/** The public half of the program's key, as the issuer profile lists it. */
export interface VerificationMethod {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

interface SigningKey {
  signer(): unknown;
  export(options: { publicKey: true; includeContext?: boolean }): Promise<{ publicKeyMultibase: string }>;
}

const SIGNED_CACHE_SIZE = 2000;

/** The stable URL of the issuer profile, which is also the key's controller document. */
export const issuerIdOf = (appUrl: string) => `${appUrl}/ob/issuer`;

/**
 * Signs credentials with the program's Ed25519 key as a W3C Data Integrity proof, cryptosuite
 * eddsa-rdfc-2022 (RDF Dataset Canonicalization, then Ed25519), through Digital Bazaar's
 * maintained libraries: no canonicalisation or cryptography of our own.
 */
@Injectable()
export class CredentialSigner {
  private key?: Promise<{ key: SigningKey; method: VerificationMethod }>;
  /** Signed documents by the hash of their unsigned content (canonicalisation costs milliseconds of CPU). */
  private readonly signed = new Map<string, Promise<object>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The key id names the key itself, so a credential signed by a replaced key fails clearly instead of matching the new one. */
  async verificationMethod(): Promise<VerificationMethod> {
    return (await this.loadKey()).method;
  }

  /** `credential` with a `proof` (assertionMethod) by the program's key, dated now. */
  async sign<T extends object>(credential: T): Promise<T & { proof: object }> {
    const { key } = await this.loadKey();
    const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite, date: this.clock.now() });
    return issue({ credential, suite, documentLoader: localDocumentLoader, now: this.clock.now() });
  }

  /**
   * The same as `sign`, but an unchanged document is signed once: a public URL fetched again and
   * again costs no canonicalisation. Any change of content (renewal, a new name) signs anew.
   */
  signOnce<T extends object>(credential: T): Promise<object> {
    const key = createHash('sha256').update(JSON.stringify(credential)).digest('base64url');
    let signed = this.signed.get(key);
    if (!signed) {
      signed = this.sign(credential);
      signed.catch(() => this.signed.delete(key));
      if (this.signed.size >= SIGNED_CACHE_SIZE)
        this.signed.delete(this.signed.keys().next().value as string);
      this.signed.set(key, signed);
    }
    return signed;
  }

  private loadKey() {
    this.key ??= (async () => {
      const seed = new Uint8Array(Buffer.from(this.config.obSigningKey, 'base64url'));
      const controller = issuerIdOf(this.config.appUrl);
      const probe: SigningKey = await Ed25519Multikey.generate({ seed, controller });
      const { publicKeyMultibase } = await probe.export({ publicKey: true });
      const id = `${controller}#${publicKeyMultibase}`;
      const key: SigningKey = await Ed25519Multikey.generate({ seed, controller, id });
      return { key, method: { id, type: 'Multikey' as const, controller, publicKeyMultibase } };
    })();
    return this.key;
  }
}
