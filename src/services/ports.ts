/** What services need from the outside world, implemented in src/events and injected at start. */

export interface UrlVerifier {
  /** Runs the url_verification handshake; a reason when the URL is refused, undefined when accepted. */
  verify(url: string, verificationToken: string, encryptKey: string | null): Promise<string | undefined>;
}

/** Accepts every URL: for deployments and tests that do not push webhooks. */
export const acceptAllUrls: UrlVerifier = { verify: () => Promise.resolve(undefined) };
