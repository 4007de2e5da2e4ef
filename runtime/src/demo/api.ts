/** A small client for one instance's HTTP API, as its admin. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are read by shape, as the tests do
type Body = any;

export class DemoApi {
  constructor(
    readonly name: string,
    readonly url: string,
    private readonly user: string,
    private readonly password: string,
  ) {}

  private headers(etag?: string | null): Record<string, string> {
    const auth = Buffer.from(`${this.user}:${this.password}`).toString('base64');
    return { authorization: `Basic ${auth}`, 'content-type': 'application/json', ...(etag ? { 'if-match': etag } : {}) };
  }

  /** Sends a request and returns its parsed body, ETag and headers; throws unless the status is `expected`. */
  async call(method: string, path: string, body?: unknown, options: { expected?: number; etag?: string | null } = {}): Promise<{ body: Body; etag: string | null; headers: Headers }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: this.headers(options.etag),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const expected = options.expected ?? (method === 'POST' ? 201 : 200);
    if (response.status !== expected) throw new Error(`${this.name}: ${method} ${path} answered ${response.status}: ${text}`);
    return { body: text === '' ? undefined : JSON.parse(text), etag: response.headers.get('etag'), headers: response.headers };
  }

  /** Creates a record and returns its sys_id (or id). */
  async create(path: string, body: unknown): Promise<string> {
    const { body: created } = await this.call('POST', path, body);
    return (created.result.sys_id ?? created.result.id) as string;
  }
}

/** Resolves once `url`/health answers 200; rejects after `timeoutMs` or when `gaveUp` says so. */
export async function waitForHealth(url: string, timeoutMs: number, gaveUp: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url}/health did not answer in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
