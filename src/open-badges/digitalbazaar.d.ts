// Digital Bazaar's verifiable-credential libraries ship JavaScript without type declarations; we
// use a handful of their functions (src/open-badges/credential-signer.ts, status-list.ts).
declare module '@digitalbazaar/vc';
declare module '@digitalbazaar/data-integrity';
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalbazaar/ed25519-multikey';
declare module '@digitalbazaar/vc-bitstring-status-list';
// Context packages the e2e verifier reads (test/e2e/open-badges.e2e-spec.ts).
declare module '@digitalbazaar/credentials-context';
declare module '@digitalbazaar/security-context';
