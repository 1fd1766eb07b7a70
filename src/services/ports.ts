/** What services need from the outside world, implemented in src/events and injected at start. */

export interface UrlVerifier {
  /** Runs the url_verification handshake; a reason when the URL is refused, undefined when accepted. */
  verify(url: string, verificationToken: string, encryptKey: string | null): Promise<string | undefined>;
  /** The same handshake, with what the receiver answered: the console shows it. */
  check?(url: string, verificationToken: string, encryptKey: string | null): Promise<UrlVerification>;
}

/** One url_verification handshake as the admin sees it. */
export interface UrlVerification {
  passed: boolean;
  /** Why the URL was refused (absent when it passed). */
  problem?: string;
  /** What the receiver answered, when it answered: the HTTP status and the start of the body. */
  answer?: { status: number; body: string };
  /** How long the handshake took. */
  durationMs: number;
}

/** Accepts every URL: for deployments and tests that do not push webhooks. */
export const acceptAllUrls: UrlVerifier = {
  verify: () => Promise.resolve(undefined),
  check: () => Promise.resolve({ passed: true, durationMs: 0 }),
};

/** A stored file as other services see it (the file service owns the bytes). */
export interface StoredFileMeta {
  fileId: string;
  tenantId: string;
  name: string;
  size: number;
  contentType: string;
  /** people_corehr id of the uploader. */
  uploaderId: string;
  createdAt: number;
}

/** Looks files up by id, for services that reference them (form values, comment attachments). */
export interface FileLookup {
  /** The tenant's files among `fileIds`; ids not found (or another tenant's) are absent. */
  describe(tenantId: string, fileIds: readonly string[]): Promise<Map<string, StoredFileMeta>>;
}
