'use strict';
// samlify requires node-rsa (RSA in JavaScript, with an open timing side-channel report) for
// HTTP-Redirect and SimpleSign signatures. Shomei makes and checks those with node:crypto
// (service/adapters/saml/redirect-binding.ts), so package.json's overrides put this stand-in in
// its place: loading it is harmless, using it fails loudly instead of signing in JavaScript.
module.exports = function NodeRSA() {
  throw new Error('node-rsa is not installed (package.json overrides): SAML signatures are made and checked with node:crypto.');
};
