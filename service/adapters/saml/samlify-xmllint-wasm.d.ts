// The package ships JavaScript only.
declare module '@authenio/samlify-xmllint-wasm' {
  /** Validates a SAML message against the SAML 2.0 schemas; rejects when invalid. */
  export function validate(xml: string): Promise<boolean>;
}
