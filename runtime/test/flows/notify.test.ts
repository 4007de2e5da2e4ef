import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StepError, type StepContext, type StepLog } from '@lockstep/flow';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { sendNotificationImplementation, stepMessageId, type NotifyOptions } from '../../src/flows/actions/notify.js';
import { OutboundGuard } from '../../src/net/outbound-guard.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on a free loopback port, answering every request with `answer`. */
async function startReceiver(answer: (response: ServerResponse) => void = (response) => response.writeHead(204).end()) {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    requests.push({ method: request.method ?? '', headers: request.headers, body });
    answer(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  const { port } = server.address() as AddressInfo;
  return { requests, host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}/hooks/incident` };
}

interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

const SMTP_USER = { name: 'relay', password: 'relay-secret' };

/** A real SMTP server on a free loopback port, accepting the one user the URL names. */
async function startMailServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    // Plain SMTP on loopback: no STARTTLS offered, and AUTH allowed without it.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER.name && auth.password === SMTP_USER.password) callback(null, { user: auth.username });
      else callback(new Error('bad credentials'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({ from: from ? from.address : undefined, to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;
  return { mails, smtpUrl: `smtp://${SMTP_USER.name}:${SMTP_USER.password}@127.0.0.1:${port}` };
}

/** The implementation with a pino logger whose lines the test can read; its outbound guard lets it call the receivers on 127.0.0.1. */
function notifier(options: Partial<Omit<NotifyOptions, 'logger'>> = {}) {
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
  const implementation = sendNotificationImplementation({ webhookAllow: [], outbound: new OutboundGuard(['127.0.0.1']), mailFrom: 'lockstep@example.com', logger, ...options });
  return { implementation, logLines };
}

function stepContext(idempotencyKey = 'ctx-1/notify-1/1/1') {
  const logged: Array<Parameters<StepLog>> = [];
  const context: StepContext = {
    contextId: 'ctx-1',
    runAs: { userId: 'user-1', userName: 'designer', roles: ['admin'], domain: 'global' },
    origin: null,
    nodeId: 'notify-1',
    attempt: 1,
    idempotencyKey,
    resumed: false,
    data: { inputs: {}, steps: {}, vars: {} },
    memory: null,
    signal: new AbortController().signal,
    now: Date.now,
    log: (...entry) => logged.push(entry),
  };
  return { context, logged };
}

describe('Send notification, log channel', () => {
  it('logs the message with the run and node and reports it delivered', async () => {
    const { implementation, logLines } = notifier();
    const { context, logged } = stepContext();
    const outcome = await implementation.run({ message: 'Disk full on db-1', channels: [{ type: 'log' }] }, context);
    expect(outcome).toEqual({ kind: 'done', output: { delivered: ['log'] } });
    expect(logLines).toEqual([expect.objectContaining({ level: 30, contextId: 'ctx-1', nodeId: 'notify-1', notification: 'Disk full on db-1' })]);
    expect(logged).toEqual([['info', 'delivered by log']]);
  });
});

describe('Send notification, webhook channel', () => {
  it('POSTs the message as JSON with the idempotency key to an allowed host', async () => {
    const receiver = await startReceiver();
    const { implementation } = notifier({ webhookAllow: [receiver.host] });
    const { context } = stepContext();
    const outcome = await implementation.run({ message: 'Disk full on db-1', channels: [{ type: 'webhook', url: receiver.url }] }, context);
    expect(outcome).toEqual({ kind: 'done', output: { delivered: [`webhook ${receiver.host}`] } });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['idempotency-key']).toBe('ctx-1/notify-1/1/1');
    expect(JSON.parse(request!.body)).toEqual({ message: 'Disk full on db-1', contextId: 'ctx-1', nodeId: 'notify-1', idempotencyKey: 'ctx-1/notify-1/1/1' });
  });

  it('admits every port of a host allowed without one', async () => {
    const receiver = await startReceiver();
    const { implementation } = notifier({ webhookAllow: ['127.0.0.1'] });
    const outcome = await implementation.run({ message: 'hello', channels: [{ type: 'webhook', url: receiver.url }] }, stepContext().context);
    expect(outcome).toMatchObject({ kind: 'done' });
    expect(receiver.requests).toHaveLength(1);
  });

  it.each([
    ['no host is allowed', []],
    ['only another port is', ['127.0.0.1:1']],
    ['only another host is', ['hooks.example.com']],
  ])('refuses a host that is not allowed (%s) and names the setting', async (_case, webhookAllow: string[]) => {
    const receiver = await startReceiver();
    const { implementation } = notifier({ webhookAllow });
    const run = implementation.run({ message: 'hello', channels: [{ type: 'webhook', url: receiver.url }] }, stepContext().context);
    await expect(run).rejects.toThrow(StepError);
    await expect(run).rejects.toThrow(`webhook ${receiver.host}: ${receiver.host} is not an allowed webhook host; add it to --webhook-allow / LOCKSTEP_WEBHOOK_ALLOW`);
    expect(receiver.requests).toEqual([]);
  });

  it('does not follow a redirect, even to an allowed host', async () => {
    const target = await startReceiver();
    const redirecting = await startReceiver((response) => response.writeHead(302, { location: target.url }).end());
    const { implementation } = notifier({ webhookAllow: ['127.0.0.1'] });
    const run = implementation.run({ message: 'hello', channels: [{ type: 'webhook', url: redirecting.url }] }, stepContext().context);
    await expect(run).rejects.toThrow(`the webhook answered 302, a redirect to ${target.url}; redirects are not followed`);
    expect(redirecting.requests).toHaveLength(1);
    expect(target.requests).toEqual([]);
  });

  it('fails with the status when the receiver does not answer 2xx', async () => {
    const receiver = await startReceiver((response) => response.writeHead(503).end('down for maintenance'));
    const { implementation } = notifier({ webhookAllow: [receiver.host] });
    const run = implementation.run({ message: 'hello', channels: [{ type: 'webhook', url: receiver.url }] }, stepContext().context);
    await expect(run).rejects.toThrow('the webhook answered 503 Service Unavailable');
  });

  it('fails with the reason when nothing listens', async () => {
    const receiver = await startReceiver();
    await Promise.all(closers.splice(0).map((close) => close()));
    const { implementation } = notifier({ webhookAllow: [receiver.host] });
    const run = implementation.run({ message: 'hello', channels: [{ type: 'webhook', url: receiver.url }] }, stepContext().context);
    await expect(run).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses an allowed webhook host at an address the outbound guard does not allow, and calls nothing', async () => {
    const receiver = await startReceiver();
    const { implementation } = notifier({ webhookAllow: ['127.0.0.1'], outbound: new OutboundGuard(['10.0.0.0/8']) });
    const run = implementation.run({ message: 'hello', channels: [{ type: 'webhook', url: receiver.url }] }, stepContext().context);
    await expect(run).rejects.toThrow(`webhook ${receiver.host}: 127.0.0.1 is a loopback address, this host itself; to call it anyway, add the host or its address to --outbound-allow / LOCKSTEP_OUTBOUND_ALLOW`);
    expect(receiver.requests).toEqual([]);
  });
});

describe('Send notification, email channel', () => {
  it('sends the message through the SMTP URL with a Message-ID from the idempotency key', async () => {
    const server = await startMailServer();
    const { implementation } = notifier({ smtpUrl: server.smtpUrl });
    const channel = { type: 'email' as const, to: ['oncall@example.com', 'lead@example.com'], subject: 'Disk full' };
    const outcome = await implementation.run({ message: 'Disk full on db-1', channels: [channel] }, stepContext().context);
    expect(outcome).toEqual({ kind: 'done', output: { delivered: ['email oncall@example.com, lead@example.com'] } });
    expect(server.mails).toHaveLength(1);
    const [mail] = server.mails;
    expect(mail!.from).toBe('lockstep@example.com');
    expect(mail!.to).toEqual(['oncall@example.com', 'lead@example.com']);
    expect(mail!.raw).toMatch(/^To: oncall@example.com, lead@example.com\r$/m);
    expect(mail!.raw).toMatch(/^Subject: Disk full\r$/m);
    expect(mail!.raw).toContain(`Message-ID: ${stepMessageId('ctx-1/notify-1/1/1', 'lockstep@example.com')}\r\n`);
    expect(mail!.raw).toMatch(/\r\n\r\nDisk full on db-1/);
  });

  it('sends a repeat of the same attempt with the same Message-ID, and another attempt with another', async () => {
    const server = await startMailServer();
    const { implementation } = notifier({ smtpUrl: server.smtpUrl });
    const params = { message: 'hello', channels: [{ type: 'email' as const, to: ['oncall@example.com'], subject: 'Hi' }] };
    await implementation.run(params, stepContext('ctx-1/notify-1/1/1').context);
    await implementation.run(params, stepContext('ctx-1/notify-1/1/1').context);
    await implementation.run(params, stepContext('ctx-1/notify-1/1/2').context);
    const messageIds = server.mails.map((mail) => /^Message-ID: (.*)\r$/m.exec(mail.raw)?.[1]);
    expect(messageIds[0]).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(messageIds[1]).toBe(messageIds[0]);
    expect(messageIds[2]).not.toBe(messageIds[0]);
  });

  it('fails saying to set the SMTP URL when email is not configured', async () => {
    const { implementation } = notifier();
    const run = implementation.run({ message: 'hello', channels: [{ type: 'email', to: ['oncall@example.com'], subject: 'Hi' }] }, stepContext().context);
    await expect(run).rejects.toThrow('email oncall@example.com: email is not configured on this instance; set --smtp-url / LOCKSTEP_SMTP_URL');
  });
});

describe('Send notification, several channels', () => {
  it('tries every channel, then fails listing each that failed and logging each that delivered', async () => {
    const { implementation, logLines } = notifier();
    const { context, logged } = stepContext();
    const channels = [
      { type: 'webhook' as const, url: 'https://hooks.example.com/incident' },
      { type: 'log' as const },
      { type: 'email' as const, to: ['oncall@example.com'], subject: 'Hi' },
    ];
    const run = implementation.run({ message: 'hello', channels }, context);
    await expect(run).rejects.toThrow(
      '2 of 3 channels failed: webhook hooks.example.com: hooks.example.com is not an allowed webhook host; add it to --webhook-allow / LOCKSTEP_WEBHOOK_ALLOW; email oncall@example.com: email is not configured on this instance; set --smtp-url / LOCKSTEP_SMTP_URL',
    );
    expect(logLines).toHaveLength(1);
    expect(logged).toEqual([['info', 'delivered by log']]);
  });
});

describe('notification settings', () => {
  it('read the webhook allow-list as lower-case entries and default the sender', () => {
    const config = readConfig({ 'webhook-allow': ' Hooks.Example.com, 10.0.0.5:8443,,[::1]:9000 ' }, {});
    expect(config).toMatchObject({ webhookAllow: ['hooks.example.com', '10.0.0.5:8443', '[::1]:9000'], mailFrom: 'lockstep@localhost' });
    expect(config.smtpUrl).toBeUndefined();
    expect(readConfig({}, {}).webhookAllow).toEqual([]);
  });

  it('name a bad allow-list entry, SMTP URL or sender by its flag and variable', () => {
    const read = () => readConfig({ 'webhook-allow': 'https://hooks.example.com' }, { LOCKSTEP_SMTP_URL: 'http://mail', LOCKSTEP_MAIL_FROM: 'nobody' });
    expect(read).toThrow(/--webhook-allow \/ LOCKSTEP_WEBHOOK_ALLOW: .*\n\s+--smtp-url \/ LOCKSTEP_SMTP_URL: .*\n\s+--mail-from \/ LOCKSTEP_MAIL_FROM/);
  });
});
