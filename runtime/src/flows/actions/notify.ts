import { createHash } from 'node:crypto';
import { implement, sendNotification, StepError, type NotificationChannel, type StepContext } from '@lockstep/flow';
import { createTransport, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { OutboundRefusal, type OutboundGuard } from '../../net/outbound-guard.js';
import { outboundRequest } from '../../net/outbound-request.js';

export interface NotifyOptions {
  /** Entries of --webhook-allow: `host` or `host:port`, lower case. */
  webhookAllow: string[];
  /** The guard every call out of the instance passes: an allowed webhook host must still resolve to a public address, or be on --outbound-allow. */
  outbound: OutboundGuard;
  smtpUrl?: string;
  mailFrom: string;
  logger: Logger;
}

type Channel<T extends NotificationChannel['type']> = Extract<NotificationChannel, { type: T }>;

/** How a delivered channel is named in the step's output and log. */
function channelLabel(channel: NotificationChannel): string {
  switch (channel.type) {
    case 'log':
      return 'log';
    case 'webhook':
      return `webhook ${new URL(channel.url).host}`;
    case 'email':
      return `email ${channel.to.join(', ')}`;
  }
}

/** Whether an allow-list entry admits the URL; an entry without a port admits every port of its host. */
function allows(entry: string, url: URL): boolean {
  const [, host, port] = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry) ?? [];
  if (host !== url.hostname) return false;
  return port === undefined || port === (url.port || (url.protocol === 'https:' ? '443' : '80'));
}

/**
 * The Message-ID an email step sends: the same for every repeat of one
 * attempt, so a mail system can recognise a repeat. Hashed because the
 * idempotency key holds characters a Message-ID may not.
 */
export function stepMessageId(idempotencyKey: string, mailFrom: string): string {
  const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1);
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Why a channel failed, in words for the designer. */
function reasonOf(error: unknown, signal: AbortSignal): string {
  if (error instanceof StepError || error instanceof OutboundRefusal) return error.message;
  if (signal.aborted) return 'the step ran out of time';
  return error instanceof Error ? error.message : String(error);
}

/** The Send notification node: the log always works; webhooks need their host allowed, email needs SMTP. */
export function sendNotificationImplementation(options: NotifyOptions) {
  // Made on first use, so an instance that never sends email never reads the SMTP URL.
  let mailer: Transporter<SMTPSentMessageInfo> | undefined;

  async function toLog(message: string, context: StepContext): Promise<void> {
    options.logger.info({ contextId: context.contextId, nodeId: context.nodeId, notification: message }, 'notification');
  }

  async function toWebhook(channel: Channel<'webhook'>, message: string, context: StepContext): Promise<void> {
    const url = new URL(channel.url);
    if (!options.webhookAllow.some((entry) => allows(entry, url))) {
      throw new StepError(`${url.host} is not an allowed webhook host; add it to --webhook-allow / LOCKSTEP_WEBHOOK_ALLOW`);
    }
    // Never following a redirect: it would let an allowed host send the request on to one that is not.
    const response = await outboundRequest(options.outbound, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': context.idempotencyKey },
      body: JSON.stringify({ message, contextId: context.contextId, nodeId: context.nodeId, idempotencyKey: context.idempotencyKey }),
      signal: context.signal,
    });
    // Nothing of the answer is used; cancelling the body frees the connection.
    await response.body?.cancel();
    if (response.status >= 300 && response.status < 400) {
      throw new StepError(`the webhook answered ${response.status}, a redirect to ${response.headers.get('location') ?? 'nowhere'}; redirects are not followed, so give the final URL`);
    }
    if (!response.ok) throw new StepError(`the webhook answered ${response.status} ${response.statusText}`.trimEnd());
  }

  async function toEmail(channel: Channel<'email'>, message: string, context: StepContext): Promise<void> {
    if (!options.smtpUrl) throw new StepError('email is not configured on this instance; set --smtp-url / LOCKSTEP_SMTP_URL');
    mailer ??= createTransport(options.smtpUrl);
    await mailer.sendMail({
      from: options.mailFrom,
      to: channel.to,
      subject: channel.subject,
      text: message,
      messageId: stepMessageId(context.idempotencyKey, options.mailFrom),
      signal: context.signal,
    });
  }

  function deliver(channel: NotificationChannel, message: string, context: StepContext): Promise<void> {
    switch (channel.type) {
      case 'log':
        return toLog(message, context);
      case 'webhook':
        return toWebhook(channel, message, context);
      case 'email':
        return toEmail(channel, message, context);
    }
  }

  return implement(sendNotification, async ({ message, channels }, context) => {
    // Every channel is tried, so one broken channel does not silence the others.
    const results = await Promise.allSettled(channels.map((channel) => deliver(channel, message, context)));
    const delivered: string[] = [];
    const failures: string[] = [];
    results.forEach((result, index) => {
      const label = channelLabel(channels[index]!);
      if (result.status === 'fulfilled') {
        delivered.push(label);
        // A failed step keeps no output, so the run's log is where the channels that did deliver are recorded.
        context.log('info', `delivered by ${label}`);
      } else {
        failures.push(`${label}: ${reasonOf(result.reason, context.signal)}`);
      }
    });
    // Retrying the node delivers every channel again, those that succeeded
    // included. A retry is a new attempt with a new idempotency key, so those
    // repeats come with a new Idempotency-Key and Message-ID; only the repeat
    // of an attempt resumed after a crash carries the same ones and can be
    // dropped by the receiver. The body's contextId and nodeId let a webhook
    // receiver tie a retry's repeat to the first delivery.
    if (failures.length > 0) {
      throw new StepError(`${failures.length} of ${channels.length} channels failed: ${failures.join('; ')}`);
    }
    return { kind: 'done', output: { delivered } };
  });
}
