import { Agent, request } from 'node:http';

/** One change the bench wrote on A: which record version it made, and when it was sent and acknowledged (epoch ms). */
export interface Write {
  sysId: string;
  modCount: number;
  sentAt: number;
  ackedAt: number;
}

export type WriteKind = 'create' | 'update' | 'comment';

/**
 * Writes incidents through A's Table API over kept-alive sockets, with
 * node:http rather than fetch: on two cores the load generator's own CPU
 * is taken from the instances it measures, and node:http costs less of it.
 */
export class TableWriter {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly authorization: string;
  private sequence = 0;

  constructor(
    private readonly baseUrl: string,
    user: string,
    password: string,
  ) {
    this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  /** A change of `kind` to one incident; `sysId` for an update or a comment. */
  write(kind: WriteKind, sysId?: string): Promise<Write> {
    const n = ++this.sequence;
    if (kind === 'create') return this.send('POST', '/api/now/table/incident', { short_description: `Bench incident ${n}`, priority: '3', state: '1' }, 201);
    const body = kind === 'update' ? { state: '2', priority: '2', description: `Bench update ${n}` } : { comments: `Bench comment ${n}` };
    return this.send('PATCH', `/api/now/table/incident/${sysId}`, body, 200);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body: unknown, expected: number): Promise<Write> {
    const json = JSON.stringify(body);
    const sentAt = Date.now();
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.baseUrl),
        { method, agent: this.agent, headers: { authorization: this.authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ackedAt = Date.now();
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== expected) {
              reject(new Error(`A answered ${method} ${path} with ${res.statusCode}: ${text.slice(0, 500)}`));
              return;
            }
            const { result } = JSON.parse(text) as { result: { sys_id: string; sys_mod_count: number } };
            resolve({ sysId: result.sys_id, modCount: result.sys_mod_count, sentAt, ackedAt });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(json);
    });
  }
}
