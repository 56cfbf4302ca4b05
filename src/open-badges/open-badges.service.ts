import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { AuthUser } from '../common/kernel/auth-user';
import { CertificationReadService } from '../certification/certification-read.service';
import { CertificationError } from '../certification/certification.errors';
import { CertificationService, type CertificationView } from '../certification/certification.service';
import { STATUS_LIST_LENGTH } from '../certification/code-generator';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import { CatalogueService } from '../courses/catalogue.service';
import { pick } from '../courses/course.view';
import type { Language } from '../common/kernel/user-role.enum';
import { CredentialSigner } from './credential-signer';
import {
  type BadgeFacts,
  type Issuer,
  issuerProfile,
  openBadgeCredential,
  statusListCredential,
  STATUS_LIST_ID,
  v2Assertion,
  v2BadgeClass,
  v2Issuer,
} from './open-badge.builder';

/**
 * Portable credentials of certifications: Open Badges 3.0 (W3C Verifiable Credentials 2.0, signed
 * with the program's key), the revocation status list they point at, and Open Badges 2.0 hosted
 * assertions. Everything is built from the certification rows on request, so a renewal or a
 * revocation shows at once and several instances answer alike.
 */
@Injectable()
export class OpenBadgesService {
  private statusListCache?: { key: string; credential: Promise<object> };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certifications: CertificationService,
    private readonly reads: CertificationReadService,
    private readonly catalogue: CatalogueService,
    private readonly signer: CredentialSigner,
    private readonly clock: Clock,
  ) {}

  private get issuer(): Issuer {
    return { appUrl: this.config.appUrl, name: this.config.obIssuerName };
  }

  async issuerProfile() {
    return issuerProfile(this.issuer, await this.signer.verificationMethod());
  }

  v2Issuer() {
    return v2Issuer(this.issuer);
  }

  /** The public, hosted credential: anyone with the code (it says what /verify/:code says, signed). */
  async publicCredential(code: string): Promise<object> {
    const view = await this.known(code);
    return this.signer.signOnce(openBadgeCredential(await this.factsOf(view), this.issuer));
  }

  /** The holder's own download (holder, managers in scope, admins): adds the hashed-email identifier. */
  async personalCredential(actor: AuthUser, code: string): Promise<{ code: string; credential: object }> {
    const view = await this.certifications.get(actor, code);
    const credential = await this.signer.sign(
      openBadgeCredential(await this.factsOf(view), this.issuer, this.recipientOf(view)),
    );
    return { code: view.certification.code, credential };
  }

  async v2Assertion(code: string) {
    const view = await this.known(code);
    return v2Assertion(await this.factsOf(view), this.issuer, this.recipientOf(view));
  }

  /** The BadgeClass of a course; undefined when no such course. */
  async v2BadgeClass(slug: string, lang: Language) {
    const outline = /^[a-z0-9-]{1,80}$/.test(slug) ? await this.catalogue.currentOutline(slug) : undefined;
    if (!outline) return undefined;
    const m = outline.manifest;
    return v2BadgeClass(
      this.issuer,
      {
        slug: outline.slug,
        title: pick(m.title, lang),
        summary: pick(m.summary, lang),
        rule: m.certification,
      },
      lang,
    );
  }

  /**
   * The signed BitstringStatusListCredential: bit i set when the certification holding index i is
   * revoked. Signed again only when the set of revoked certifications changes.
   */
  async statusList(listId: number): Promise<object | undefined> {
    if (listId !== STATUS_LIST_ID) return undefined;
    const revoked = (await this.reads.revokedStatusIndexes()).sort((a, b) => a - b);
    const key = revoked.join(',');
    if (this.statusListCache?.key !== key) {
      const credential = (async () => {
        const list = await createList({ length: STATUS_LIST_LENGTH });
        for (const index of revoked) list.setStatus(index, true);
        return this.signer.sign(statusListCredential(this.issuer, await list.encode(), this.clock.now()));
      })();
      this.statusListCache = { key, credential };
      credential.catch(() => (this.statusListCache = undefined));
    }
    return this.statusListCache.credential;
  }

  private async known(code: string): Promise<CertificationView> {
    const view = await this.certifications.verify(code);
    if (!view) throw new CertificationError('not-found', 'unknown-code');
    return view;
  }

  private async factsOf(view: CertificationView): Promise<BadgeFacts> {
    const c = view.certification;
    const language: Language = view.holder?.language ?? 'en';
    const outline = view.courseSlug ? await this.catalogue.currentOutline(view.courseSlug) : undefined;
    return {
      code: c.code,
      statusListIndex: c.statusListIndex,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      revokedOn: c.revokedOn,
      holderName: view.holder?.name ?? '',
      language,
      courseSlug: view.courseSlug,
      courseTitle: pick(view.courseTitle, language),
      courseSummary: outline ? pick(outline.manifest.summary, language) : '',
      rule: outline?.manifest.certification ?? null,
    };
  }

  /** The salt is derived from the signing key and the certification, so it is stable and unguessable. */
  private recipientOf(view: CertificationView): { email: string; salt: string } {
    const salt = createHmac('sha256', Buffer.from(this.config.obSigningKey, 'base64url'))
      .update(`recipient-salt:${view.certification.id}`)
      .digest('base64url')
      .slice(0, 22);
    return { email: view.holder?.email ?? '', salt };
  }
}
