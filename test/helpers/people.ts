/**
 * A person using the people API the way the web app does: a cookie jar (session and CSRF cookies)
 * and the X-CSRF-Token header on every state-changing request.
 */
export interface PeopleResponse {
  status: number;
  headers: Headers;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export class PeopleClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** Signs in as a demo person (the server must run with --demo). */
  async signInDemo(userId: string): Promise<PeopleResponse> {
    const response = await this.post('/api/v1/auth/demo', { user_id: userId });
    if (response.status !== 200)
      throw new Error(`demo sign-in as ${userId}: ${JSON.stringify(response.body)}`);
    return response;
  }

  async ensureCsrf(): Promise<string> {
    if (this.csrfToken === undefined) {
      const response = await this.request('GET', '/api/v1/auth/csrf');
      this.csrfToken = (response.body as { csrf_token: string }).csrf_token;
    }
    return this.csrfToken;
  }

  get(path: string): Promise<PeopleResponse> {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown): Promise<PeopleResponse> {
    return this.send('POST', path, body);
  }
  patch(path: string, body?: unknown): Promise<PeopleResponse> {
    return this.send('PATCH', path, body);
  }

  async send(method: string, path: string, body?: unknown): Promise<PeopleResponse> {
    const token = await this.ensureCsrf();
    return this.request(method, path, { body, headers: { 'x-csrf-token': token } });
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<PeopleResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | Uint8Array | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body !== undefined ? { body } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '')
      parsed = JSON.parse(text);
    const csrf = (parsed as { csrf_token?: unknown } | null)?.csrf_token;
    if (typeof csrf === 'string') this.csrfToken = csrf;
    return { status: response.status, headers: response.headers, body: parsed };
  }
}

/**
 * People signed in through demo sign-in, one client each, made on first use (the server must run
 * with --demo). `forget()` drops them all, e.g. after a clock move longer than a session lives.
 */
export class DemoPeople {
  private clients = new Map<string, PeopleClient>();

  constructor(private readonly baseUrl: () => string) {}

  async as(userId: string): Promise<PeopleClient> {
    let client = this.clients.get(userId);
    if (!client) {
      client = new PeopleClient(this.baseUrl());
      await client.signInDemo(userId);
      this.clients.set(userId, client);
    }
    return client;
  }

  forget(): void {
    this.clients = new Map();
  }
}
