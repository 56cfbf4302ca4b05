/**
 * Portable credentials (Open Badges 3.0 / VC Data Model 2.0, and OB 2.0 hosted assertions), checked
 * the way a third party would: download through HTTP, then verify with Digital Bazaar's verifier
 * (@digitalbazaar/vc verifyCredential + the eddsa-rdfc-2022 cryptosuite + the Bitstring Status List
 * checker), whose document loader fetches the issuer profile and the status list from the app over
 * HTTP and holds the standard JSON-LD contexts locally. None of the app's signing code is used here.
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { verifyCredential } from '@digitalbazaar/vc';
import { checkStatus, decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as securityContexts } from '@digitalbazaar/security-context';
import { DomUtils, parseDocument } from 'htmlparser2';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AddStatusListIndexToCertifications1764130900000 } from '../../migrations/1764130900000-AddStatusListIndexToCertifications';
import { Certification } from '../../src/certification/certification.entity';
import type { User } from '../../src/users/user.entity';
import { drawnAnswers } from '../support/quizzes';
import { createTestApp, TestApp } from '../support/create-test-app';
import { buildServer, scratchSchema, startServer, stopAllServers } from '../support/server-process';
import { apiToken, csrfOf, pageAgent } from '../support/login';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const COURSE = 'tiny-course';
const LESSONS = ['welcome', 'warning-signs', 'first-session'];
const DAYS = ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'];
const APP = 'http://cascada.test';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

// The standard contexts, from the npm packages that publish them where there is one, otherwise the
// published files kept in the repository (Open Badges 3.0.3, Multikey v1).
const CONTEXT_DIR = join(__dirname, '..', '..', 'src', 'open-badges', 'contexts');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as object;
const CONTEXTS: Record<string, object> = {
  'https://www.w3.org/ns/credentials/v2': credentialsContexts.get('https://www.w3.org/ns/credentials/v2'),
  'https://w3id.org/security/v2': securityContexts.get('https://w3id.org/security/v2'),
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': readJson(
    join(CONTEXT_DIR, 'ob-v3p0-3.0.3.json'),
  ),
  'https://w3id.org/security/multikey/v1': readJson(join(CONTEXT_DIR, 'multikey-v1.json')),
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Parses a body whatever its JSON media type (supertest leaves application/vc as text). */
const jsonOf = (res: request.Response): Json => JSON.parse(res.text) as Json;

type Fetch = (path: string) => Promise<{ status: number; text: string }>;
const viaSupertest =
  (http: TestApp['http']): Fetch =>
  async (path) =>
    request(http).get(path);

/**
 * A verifier's document loader: contexts locally, everything under the app's URL fetched from the
 * app over HTTP (a verification method is looked up in the controller document its URL points at).
 */
function loaderFor(get: Fetch, base = APP, fetched: string[] = []) {
  return async (url: string) => {
    if (CONTEXTS[url]) return { contextUrl: null, documentUrl: url, document: CONTEXTS[url] };
    if (!url.startsWith(`${base}/`)) throw new Error(`the verifier would not fetch ${url}`);
    const [address, fragment] = url.split('#');
    fetched.push(address);
    const res = await get(address.slice(base.length));
    if (res.status !== 200) throw new Error(`${address} answered ${res.status}`);
    const document = JSON.parse(res.text) as Json;
    if (!fragment || address.includes('/ob/status/')) return { contextUrl: null, documentUrl: url, document };
    const method = (document.assertionMethod as Json[]).find((m) => m.id === url);
    if (!method) throw new Error(`${url} is not listed by its controller`);
    return {
      contextUrl: null,
      documentUrl: url,
      document: { '@context': 'https://w3id.org/security/multikey/v1', ...method },
    };
  };
}

/**
 * Verifies like a third party: signature, issuer/controller binding and validity dates, and, when the
 * credential points at a status list, its entry there (the checker reports `status: true` for a set bit).
 */
async function verify(http: TestApp['http'] | Fetch, credential: Json, base = APP, now?: Date) {
  const documentLoader = loaderFor(typeof http === 'function' ? http : viaSupertest(http), base);
  const suite = new DataIntegrityProof({ cryptosuite });
  const result = await verifyCredential({
    credential,
    suite,
    documentLoader,
    ...(now ? { now } : {}),
    checkStatus: (options: Json) =>
      checkStatus({
        ...options,
        suite,
        documentLoader,
        verifyBitstringStatusListCredential: true,
        verifyMatchingIssuers: true,
      }),
  });
  return result as {
    verified: boolean;
    statusResult?: { verified: boolean; results?: Array<{ verified: boolean; status: boolean }> };
    error?: { errors?: Error[]; message?: string };
  };
}

/** The verdict a status-checking verifier gives: valid only when the proof verifies and the revocation bit is clear. */
async function verdict(http: TestApp['http'], credential: Json): Promise<'valid' | 'revoked' | 'invalid'> {
  const result = await verify(http, credential);
  if (!result.verified) return 'invalid';
  return result.statusResult?.results?.some((entry) => entry.status) ? 'revoked' : 'valid';
}

jest.setTimeout(90_000);

describe('open badges', () => {
  let t: TestApp;
  let manager: User;
  let managerToken: string;
  let holder: User;
  let holderToken: string;
  let code: string;

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body?: object) =>
      request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
  });

  /** A workshop in El Salvador and a trainer who meets the whole rule, certified by the manager. */
  async function certifiedTrainer(
    name: string,
    language: 'en' | 'es' = 'en',
  ): Promise<{ user: User; token: string; code: string }> {
    const cohort = (
      await api(managerToken)
        .post('/cohorts', {
          courseSlug: COURSE,
          name: `TOT ${name}`,
          countryCode: 'SV',
          startsOn: DAYS[0],
          endsOn: DAYS[4],
          capacity: 5,
        })
        .expect(201)
    ).body;
    const user = await t.createUser('trainer', { countryCode: 'SV', name, language });
    await api(managerToken)
      .post(`/cohorts/${cohort.id}/participants`, { email: user.email, name })
      .expect(201);
    const token = await apiToken(t, user.email);
    const enrolmentId = (await api(token).get('/me').expect(200)).body.enrolments[0].id as string;
    for (const lesson of LESSONS)
      await api(token).post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
    await api(token)
      .post(
        `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
        await drawnAnswers(api(token), enrolmentId, 'post-test'),
      )
      .expect(201);
    await api(managerToken)
      .put(`/cohorts/${cohort.id}/participants/${user.id}/practicum`, { passed: true, score: 90 })
      .expect(200);
    for (const date of DAYS) {
      const day = (await api(managerToken).post(`/cohorts/${cohort.id}/days`, { date }).expect(201)).body;
      await api(managerToken)
        .put(`/cohorts/${cohort.id}/days/${day.id}/attendance`, {
          records: [{ userId: user.id, status: 'present' }],
        })
        .expect(200);
    }
    const cert = (
      await api(managerToken).post('/certifications', { cohortId: cohort.id, userId: user.id }).expect(201)
    ).body;
    return { user, token, code: cert.code };
  }

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT, OB_ISSUER_NAME: 'Regional Prevention Program' });
    manager = await t.createUser('manager', { countryCode: 'SV', name: 'Marta Manager' });
    managerToken = await apiToken(t, manager.email);
    const ana = await certifiedTrainer('Ana Portable');
    holder = ana.user;
    holderToken = ana.token;
    code = ana.code;
  });
  afterAll(() => t.close());

  it('serves the issuer profile with its Multikey verification method, public and CORS-readable', async () => {
    const res = await request(t.http).get('/ob/issuer').expect(200);
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const profile = jsonOf(res);
    expect(profile).toMatchObject({
      id: `${APP}/ob/issuer`,
      type: ['Profile'],
      name: 'Regional Prevention Program',
      url: APP,
    });
    expect(profile['@context'].slice(0, 2)).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    const [method] = profile.assertionMethod;
    expect(method).toMatchObject({
      type: 'Multikey',
      controller: `${APP}/ob/issuer`,
      publicKeyMultibase: expect.stringMatching(/^z6Mk/),
    });
    expect(method.id).toBe(`${APP}/ob/issuer#${method.publicKeyMultibase}`);
  });

  it('downloads an OpenBadgeCredential that an independent verifier accepts, issuer and status list fetched over HTTP', async () => {
    const res = await request(t.http).get(`/ob/credentials/${code}`).expect(200);
    expect(res.headers['content-type']).toBe('application/vc; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const vc = jsonOf(res);
    expect(vc['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(vc).toMatchObject({
      id: `${APP}/ob/credentials/${code}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: `${APP}/ob/issuer`, type: ['Profile'], name: 'Regional Prevention Program' },
      validFrom: '2026-03-02T00:00:00Z',
      validUntil: '2028-03-02T23:59:59Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Ana Portable' },
        ],
        achievement: {
          id: `${APP}/courses/${COURSE}`,
          type: ['Achievement'],
          achievementType: 'Certification',
          inLanguage: 'en',
        },
      },
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListCredential: `${APP}/ob/status/1`,
      },
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' },
    });
    // The course rule, in words.
    expect(vc.credentialSubject.achievement.criteria.narrative).toContain(
      'passed the post-test with at least 70%',
    );
    expect(vc.credentialSubject.achievement.criteria.narrative).toContain(
      'attended at least 80% of the workshop days',
    );
    // The index stored for the certification, and nothing personal beyond the name.
    const row = await t.db.manager.findOneByOrFail(Certification, { code });
    expect(vc.credentialStatus.statusListIndex).toBe(String(row.statusListIndex));
    expect(res.text).not.toContain(holder.email);
    expect(res.text).not.toContain('sha256$');

    const fetched: string[] = [];
    const result = await verifyCredential({
      credential: vc,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: loaderFor(viaSupertest(t.http), APP, fetched),
      checkStatus: (options: Json) =>
        checkStatus({
          ...options,
          suite: new DataIntegrityProof({ cryptosuite }),
          documentLoader: loaderFor(viaSupertest(t.http), APP, fetched),
          verifyBitstringStatusListCredential: true,
          verifyMatchingIssuers: true,
        }),
    });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.statusResult).toMatchObject({
      verified: true,
      results: [{ verified: true, status: false }],
    });
    expect(fetched).toEqual(expect.arrayContaining([`${APP}/ob/issuer`, `${APP}/ob/status/1`]));
  });

  it('fails verification when the name, the achievement or validUntil is changed', async () => {
    const vc = jsonOf(await request(t.http).get(`/ob/credentials/${code}`).expect(200));
    expect(await verdict(t.http, vc)).toBe('valid');
    const renamed = structuredClone(vc);
    renamed.credentialSubject.identifier[0].identityHash = 'Someone Else';
    expect(await verdict(t.http, renamed)).toBe('invalid');
    const otherCourse = structuredClone(vc);
    otherCourse.credentialSubject.achievement.name = 'Advanced certification';
    expect(await verdict(t.http, otherCourse)).toBe('invalid');
    const longer = structuredClone(vc);
    longer.validUntil = '2036-03-02T23:59:59Z';
    expect(await verdict(t.http, longer)).toBe('invalid');
  });

  it('lets the holder, a manager in scope and an admin download the file with the hashed email; nobody else', async () => {
    const path = `/certifications/${code}/credential.json`;
    const own = await (await pageAgent(t, holder.email)).get(path).expect(200);
    expect(own.headers['content-type']).toBe('application/vc; charset=utf-8');
    expect(own.headers['content-disposition']).toBe(`attachment; filename="open-badge-${code}.json"`);
    expect(own.headers['cache-control']).toBe('private, no-store');
    const vc = jsonOf(own);
    const [byName, byEmail] = vc.credentialSubject.identifier;
    expect(byName).toMatchObject({ identityType: 'name', identityHash: 'Ana Portable' });
    expect(byEmail).toMatchObject({
      type: 'IdentityObject',
      identityType: 'emailAddress',
      hashed: true,
      salt: expect.any(String),
    });
    const { createHash } = await import('node:crypto');
    expect(byEmail.identityHash).toBe(
      `sha256$${createHash('sha256')
        .update(holder.email + byEmail.salt)
        .digest('hex')}`,
    );
    expect(own.text).not.toContain(holder.email);
    expect(await verdict(t.http, vc)).toBe('valid');

    await (await pageAgent(t, manager.email)).get(path).expect(200);
    const admin = await t.createUser('admin');
    await (await pageAgent(t, admin.email)).get(path).expect(200);
    const stranger = await t.createUser('trainer', { countryCode: 'SV' });
    await (await pageAgent(t, stranger.email)).get(path).expect(403);
    const panama = await t.createUser('manager', { countryCode: 'PA' });
    await (await pageAgent(t, panama.email)).get(path).expect(403);
    const anonymous = await request(t.http).get(path).expect(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);

    // The same through the API (Bearer), for the mobile and offline clients.
    const viaApi = await api(holderToken).get(`/certifications/${code}/open-badge`).expect(200);
    expect(viaApi.headers['content-type']).toBe('application/vc; charset=utf-8');
    expect(jsonOf(viaApi).credentialSubject.identifier[1]).toEqual(byEmail);
    await api(await apiToken(t, stranger.email))
      .get(`/certifications/${code}/open-badge`)
      .expect(403);
    await request(t.http).get(`/api/v1/certifications/${code}/open-badge`).expect(401);
  });

  it('shows the download links on the certificate page and on the public verify page', async () => {
    const links = (html: string) =>
      DomUtils.findAll((el) => el.name === 'a', parseDocument(html).children).map((a) => [
        DomUtils.textContent(a).trim(),
        a.attribs.href,
      ]);
    const page = await (await pageAgent(t, holder.email)).get(`/certifications/${code}`).expect(200);
    expect(links(page.text)).toEqual(
      expect.arrayContaining([
        ['Download the Open Badges 3.0 credential (JSON)', `/certifications/${code}/credential.json`],
        ['Open Badges 2.0 badge address (older backpacks)', `${APP}/ob/v2/assertions/${code}`],
      ]),
    );
    expect(page.text).toContain('A signed Open Badges credential that you can keep in a digital wallet');
    const verifyPage = await request(t.http).get(`/verify/${code}?lang=es`).expect(200);
    expect(verifyPage.text).toContain('La misma certificación como credencial Open Badges firmada');
    expect(links(verifyPage.text)).toEqual(
      expect.arrayContaining([
        ['Descargar la credencial Open Badges 3.0 (JSON)', `/ob/credentials/${code}?download=1`],
        ['Dirección de la insignia Open Badges 2.0 (mochilas antiguas)', `${APP}/ob/v2/assertions/${code}`],
      ]),
    );
    const file = await request(t.http).get(`/ob/credentials/${code}?download=1`).expect(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="open-badge-${code}.json"`);
  });

  it('serves the OB 2.0 assertion, badge class and issuer as hosted JSON', async () => {
    const assertion = (await request(t.http).get(`/ob/v2/assertions/${code}`).expect(200)).body;
    expect(assertion).toMatchObject({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Assertion',
      id: `${APP}/ob/v2/assertions/${code}`,
      recipient: { type: 'email', hashed: true, identity: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/) },
      badge: `${APP}/ob/v2/badges/${COURSE}`,
      verification: { type: 'hosted' },
      issuedOn: '2026-03-02T00:00:00Z',
      expires: '2028-03-02T23:59:59Z',
    });
    expect(assertion.revoked).toBeUndefined();
    const badge = (await request(t.http).get(assertion.badge.slice(APP.length)).expect(200)).body;
    expect(badge).toMatchObject({
      type: 'BadgeClass',
      id: assertion.badge,
      issuer: `${APP}/ob/v2/issuer`,
      image: `${APP}/assets/img/favicon.svg`,
      criteria: { narrative: expect.stringContaining('70%') },
    });
    await request(t.http).get('/assets/img/favicon.svg').expect(200);
    const issuer = (await request(t.http).get('/ob/v2/issuer').expect(200)).body;
    expect(issuer).toMatchObject({
      type: 'Issuer',
      id: `${APP}/ob/v2/issuer`,
      name: 'Regional Prevention Program',
      url: APP,
    });
  });

  it('follows a renewal: the credential downloaded afterwards carries the new validUntil and verifies', async () => {
    const other = await certifiedTrainer('Carla Renewed');
    const first = jsonOf(await request(t.http).get(`/ob/credentials/${other.code}`).expect(200));
    expect(jsonOf(await request(t.http).get(`/ob/credentials/${other.code}`).expect(200)).proof).toEqual(
      first.proof,
    ); // unchanged: signed once
    expect(first.validUntil).toBe('2028-03-02T23:59:59Z');
    await api(managerToken).post(`/certifications/${other.code}/renew`).expect(200);
    const renewed = jsonOf(await request(t.http).get(`/ob/credentials/${other.code}`).expect(200));
    expect(renewed.validUntil).toBe('2030-03-02T23:59:59Z');
    expect(renewed.credentialStatus).toEqual(first.credentialStatus);
    expect(await verdict(t.http, renewed)).toBe('valid');
  });

  it('still serves an expired certification signed, and a verifier after validUntil refuses it', async () => {
    const vc = jsonOf(await request(t.http).get(`/ob/credentials/${code}`).expect(200));
    const later = new Date('2028-03-03T12:00:00Z');
    const expired = await verify(t.http, vc, APP, later);
    expect(expired.verified).toBe(false);
    expect(
      String(
        (expired.error as { errors?: Error[] })?.errors?.map((e) => e.message) ?? expired.error?.message,
      ),
    ).toContain('is after "validUntil" (2028-03-02T23:59:59Z)');
    expect((await verify(t.http, vc, APP, new Date('2028-03-02T12:00:00Z'))).verified).toBe(true);
    t.clock.set('2028-06-01T10:00:00.000Z');
    try {
      expect((await request(t.http).get(`/api/v1/verify/${code}`).expect(200)).body.status).toBe('expired');
      const afterExpiry = jsonOf(await request(t.http).get(`/ob/credentials/${code}`).expect(200));
      expect(afterExpiry.validUntil).toBe('2028-03-02T23:59:59Z');
      expect((await verify(t.http, afterExpiry, APP, new Date('2028-03-02T12:00:00Z'))).verified).toBe(true);
      expect((await verify(t.http, afterExpiry, APP, new Date('2028-06-01T12:00:00Z'))).verified).toBe(false);
    } finally {
      t.clock.set('2026-03-02T10:00:00.000Z');
    }
  });

  it('answers 404 in JSON for unknown codes, courses and lists', async () => {
    for (const path of [
      '/ob/credentials/CSC-ZZZZ-ZZZZ',
      '/ob/credentials/nonsense',
      '/ob/v2/assertions/CSC-ZZZZ-ZZZZ',
      '/ob/v2/badges/no-such-course',
      '/ob/status/2',
      '/ob/status/x',
    ]) {
      const res = await request(t.http).get(path).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    }
  });

  it('after revoking through the real route: the bit is set, a status-checking verifier says revoked, OB 2.0 says revoked, verify agrees', async () => {
    const other = await certifiedTrainer('Beto Revoked', 'es');
    const vc = jsonOf(await request(t.http).get(`/ob/credentials/${other.code}`).expect(200));
    expect(vc.credentialSubject.achievement.inLanguage).toBe('es');
    expect(vc.credentialSubject.achievement.criteria.narrative).toContain(
      'aprobó la prueba final con al menos 70 %',
    );
    const index = Number(vc.credentialStatus.statusListIndex);
    const before = jsonOf(await request(t.http).get('/ob/status/1').expect(200));
    expect((await decodeList({ encodedList: before.credentialSubject.encodedList })).getStatus(index)).toBe(
      false,
    );
    expect(await verdict(t.http, vc)).toBe('valid');

    const agent = await pageAgent(t, manager.email);
    const csrf = await csrfOf(agent, `/certifications/${other.code}`);
    await agent
      .post(`/certifications/${other.code}/revoke`)
      .type('form')
      .send({ _csrf: csrf, reason: 'Misconduct during a school session' })
      .expect(303);

    const res = await request(t.http).get('/ob/status/1').expect(200);
    expect(res.headers['content-type']).toBe('application/vc; charset=utf-8');
    const list = jsonOf(res);
    expect(list).toMatchObject({
      id: `${APP}/ob/status/1`,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: `${APP}/ob/issuer`,
      credentialSubject: {
        id: `${APP}/ob/status/1#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: expect.stringMatching(/^u[A-Za-z0-9_-]+$/),
      },
      proof: { cryptosuite: 'eddsa-rdfc-2022' },
    });
    const decoded = await decodeList({ encodedList: list.credentialSubject.encodedList });
    expect(decoded.length).toBeGreaterThanOrEqual(131_072); // 16 KB, the specification's minimum
    expect(decoded.getStatus(index)).toBe(true);
    const row = await t.db.manager.findOneByOrFail(Certification, { code });
    expect(decoded.getStatus(row.statusListIndex)).toBe(false); // Ana's stays clear
    // The list itself is signed by the same key.
    expect((await verify(t.http, list)).verified).toBe(true);

    // The proof still verifies, but a verifier that checks status finds the bit set: revoked.
    const revoked = await verify(t.http, vc);
    expect(revoked.verified).toBe(true);
    expect(revoked.statusResult).toMatchObject({
      verified: true,
      results: [{ verified: true, status: true }],
    });
    expect(await verdict(t.http, vc)).toBe('revoked');
    expect(
      await verdict(t.http, jsonOf(await request(t.http).get(`/ob/credentials/${code}`).expect(200))),
    ).toBe('valid');

    const assertion = (await request(t.http).get(`/ob/v2/assertions/${other.code}`).expect(200)).body;
    expect(assertion).toMatchObject({
      revoked: true,
      revocationReason: 'Revocada por el emisor el 2 de marzo de 2026.',
    });
    expect(JSON.stringify(assertion)).not.toContain('Misconduct');

    const verifyJson = (await request(t.http).get(`/api/v1/verify/${other.code}`).expect(200)).body;
    expect(verifyJson).toMatchObject({
      valid: false,
      status: 'revoked',
      holderName: 'Beto Revoked',
      openBadgeCredential: `${APP}/ob/credentials/${other.code}`,
      openBadgeV2Assertion: `${APP}/ob/v2/assertions/${other.code}`,
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: `${APP}/ob/status/1`,
      },
    });
    expect(Object.keys(verifyJson)).toEqual(
      expect.arrayContaining(['valid', 'status', 'holderName', 'courseTitle', 'issuedOn', 'expiresOn']),
    );
  });

  it('gives every certification its own stored status-list index', async () => {
    const rows = await t.db.manager.find(Certification);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.statusListIndex)).size).toBe(rows.length);
    for (const r of rows) expect(r.statusListIndex).toBeLessThan(131_072);
    await expect(
      t.db.manager.update(Certification, { id: rows[1].id }, { statusListIndex: rows[0].statusListIndex }),
    ).rejects.toThrow();
  });

  // Last in this block: it draws new indexes for every certification of the app.
  it('backfills distinct indexes for certifications that existed before the migration, and its down step works', async () => {
    const before = await t.db.manager.count(Certification);
    const columns = async () =>
      (
        (await t.db.manager.query(
          t.db.kind === 'postgres'
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'certifications'"
            : 'PRAGMA table_info(certifications)',
        )) as Array<{ name?: string; column_name?: string }>
      ).map((c) => c.name ?? c.column_name);
    // This migration's own down and up on the populated table (later migrations do not touch it).
    const migration = new AddStatusListIndexToCertifications1764130900000();
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await columns()).not.toContain('status_list_index');
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await columns()).toContain('status_list_index');
    const rows = await t.db.manager.find(Certification);
    expect(rows).toHaveLength(before);
    expect(
      rows.every(
        (r) => Number.isInteger(r.statusListIndex) && r.statusListIndex >= 0 && r.statusListIndex < 131_072,
      ),
    ).toBe(true);
    expect(new Set(rows.map((r) => r.statusListIndex)).size).toBe(before);
  });
});

describe('open badges signing key', () => {
  it('is generated once into DATA_DIR and reused after a restart; credentials from before still verify', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cascada-ob-key-'));
    try {
      const first = await createTestApp({ DATA_DIR: dataDir });
      const keyOf = async (t: TestApp) =>
        jsonOf(await request(t.http).get('/ob/issuer').expect(200)).assertionMethod[0]
          .publicKeyMultibase as string;
      const key = await keyOf(first);
      const file = join(dataDir, 'ob-signing-key');
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const list = jsonOf(await request(first.http).get('/ob/status/1').expect(200));
      await first.close();
      const second = await createTestApp({ DATA_DIR: dataDir });
      try {
        expect(await keyOf(second)).toBe(key);
        expect((await verify(second.http, list)).verified).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes OB_SIGNING_KEY from the environment, and a list signed by another key fails against it', async () => {
    const seed = randomBytes(32);
    const expected = await Ed25519Multikey.generate({ seed: new Uint8Array(seed) });
    const { publicKeyMultibase } = await expected.export({ publicKey: true });
    const given = await createTestApp({ OB_SIGNING_KEY: seed.toString('base64url') });
    const generated = await createTestApp();
    try {
      const profile = jsonOf(await request(given.http).get('/ob/issuer').expect(200));
      expect(profile.assertionMethod[0].publicKeyMultibase).toBe(publicKeyMultibase);
      expect(existsSync(join(given.dataDir, 'ob-signing-key'))).toBe(false);
      const list = jsonOf(await request(given.http).get('/ob/status/1').expect(200));
      expect((await verify(given.http, list)).verified).toBe(true);
      // Same issuer URL, another key: the verifier does not find the signing key at that issuer.
      expect((await verify(generated.http, list)).verified).toBe(false);
    } finally {
      await given.close();
      await generated.close();
    }
  });

  describe('the built server (node dist/src/main.js)', () => {
    beforeAll(() => buildServer(), 300_000);
    afterAll(() => stopAllServers());

    it('stops at start-up with one clear line when OB_SIGNING_KEY is bad', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cascada-ob-bad-'));
      try {
        const env = {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          DATA_DIR: dataDir,
          JWT_SECRET: 'x'.repeat(40),
          SEED_DEMO: 'false',
          OB_SIGNING_KEY: 'too-short',
        };
        const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
          execFile(
            process.execPath,
            [join(__dirname, '..', '..', 'dist', 'src', 'main.js')],
            { env, timeout: 60_000 },
            (error, _stdout, stderr) =>
              resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
          ),
        );
        expect(code).toBe(1);
        expect(stderr.trim().split('\n')).toEqual([
          expect.stringMatching(
            /^Configuration error: OB_SIGNING_KEY must be a 32-byte Ed25519 seed in base64url/,
          ),
        ]);
        expect(existsSync(join(dataDir, 'ob-signing-key'))).toBe(false);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('signs with the key from the environment in plain Node (the libraries load through require(esm))', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cascada-ob-run-'));
      const seed = randomBytes(32);
      const scratch = process.env.DATABASE_URL
        ? await scratchSchema(process.env.DATABASE_URL, 'ob')
        : undefined;
      try {
        const server = await startServer({
          dataDir,
          databaseUrl: scratch?.url,
          env: { OB_SIGNING_KEY: seed.toString('base64url') },
        });
        const get: Fetch = async (path) => {
          const res = await fetch(`${server.base}${path}`);
          return { status: res.status, text: await res.text() };
        };
        const profile = JSON.parse((await get('/ob/issuer')).text) as Json;
        const { publicKeyMultibase } = await (
          await Ed25519Multikey.generate({ seed: new Uint8Array(seed) })
        ).export({ publicKey: true });
        expect(profile.assertionMethod[0].publicKeyMultibase).toBe(publicKeyMultibase);
        const list = JSON.parse((await get('/ob/status/1')).text) as Json;
        expect((await verify(get, list, server.base)).verified).toBe(true);
        await server.stop();
      } finally {
        await scratch?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
