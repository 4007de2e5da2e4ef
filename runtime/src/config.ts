import { DEFAULT_EXPRESSION_LIMITS } from '@lockstep/flow';
import { z } from 'zod';
import { metricsAccessModes } from './metrics/metrics-route.js';
import { outboundAllowEntry } from './net/outbound-allow.js';

/** Documents, images, archives and media; not executables or scripts. */
const DEFAULT_ATTACHMENT_EXTENSIONS =
  'pdf,txt,csv,log,json,xml,md,rtf,png,jpg,jpeg,gif,webp,bmp,tif,tiff,heic,doc,docx,xls,xlsx,ppt,pptx,odt,ods,odp,eml,msg,zip,gz,7z,mp3,wav,mp4,mov';

/**
 * Every setting of `lockstep start`, each readable from a flag or the
 * environment (the flag wins). The CLI's help and the README's table are
 * written from this list.
 */
export const settings = [
  { key: 'port', flag: 'port', env: 'PORT', fallback: '8600', help: 'HTTP port; 0 picks a free one' },
  { key: 'host', flag: 'host', env: 'HOST', fallback: '127.0.0.1', help: 'interface to listen on; 0.0.0.0 for all' },
  { key: 'publicUrl', flag: 'public-url', env: 'LOCKSTEP_PUBLIC_URL', fallback: undefined, help: 'base URL clients reach this instance at, for links it returns; default the listening address' },
  { key: 'dataDir', flag: 'data-dir', env: 'LOCKSTEP_DATA_DIR', fallback: './data', help: 'directory of the embedded store' },
  { key: 'mongodbUri', flag: 'mongodb-uri', env: 'MONGODB_URI', fallback: undefined, help: 'use MongoDB instead of the embedded store' },
  { key: 'databaseName', flag: 'db-name', env: 'LOCKSTEP_DB_NAME', fallback: undefined, help: "MongoDB database; default: the URI's, else lockstep" },
  { key: 'instanceName', flag: 'name', env: 'LOCKSTEP_INSTANCE_NAME', fallback: 'lockstep', help: 'name of this instance in logs and /health' },
  { key: 'adminUser', flag: 'admin-user', env: 'LOCKSTEP_ADMIN_USER', fallback: 'admin', help: 'user name of the admin created on first start' },
  { key: 'adminPassword', flag: 'admin-password', env: 'LOCKSTEP_ADMIN_PASSWORD', fallback: undefined, help: 'its password; generated and printed once when unset' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', fallback: 'info', help: 'fatal, error, warn, info, debug or trace' },
  { key: 'shutdownTimeoutMs', flag: 'shutdown-timeout', env: 'LOCKSTEP_SHUTDOWN_TIMEOUT_MS', fallback: '10000', help: 'ms to let requests in flight finish on SIGTERM' },
  { key: 'expressionTimeoutMs', flag: 'expression-timeout-ms', env: 'LOCKSTEP_EXPRESSION_TIMEOUT_MS', fallback: String(DEFAULT_EXPRESSION_LIMITS.timeoutMs), help: 'ms one data pill expression may run before it is stopped and its step fails' },
  { key: 'expressionMaxResultBytes', flag: 'expression-max-result-bytes', env: 'LOCKSTEP_EXPRESSION_MAX_RESULT_BYTES', fallback: String(DEFAULT_EXPRESSION_LIMITS.maxResultBytes), help: 'largest result of one data pill expression, in bytes (UTF-8 for text, JSON for the rest)' },
  { key: 'webhookAllow', flag: 'webhook-allow', env: 'LOCKSTEP_WEBHOOK_ALLOW', fallback: undefined, help: 'comma-separated hosts (host or host:port) webhook notifications may reach; none when unset' },
  { key: 'outboundAllow', flag: 'outbound-allow', env: 'LOCKSTEP_OUTBOUND_ALLOW', fallback: undefined, help: 'comma-separated hosts, addresses or CIDR ranges that remote systems and flows may call though they are loopback, private or link-local; none when unset' },
  { key: 'secretKey', flag: 'secret-key', env: 'LOCKSTEP_SECRET_KEY', fallback: undefined, help: "base64 of the 32-byte key that encrypts remote systems' secrets; default <data dir>/secret.key, made on first start" },
  { key: 'signingSecretGraceSeconds', flag: 'signing-secret-grace', env: 'LOCKSTEP_SIGNING_SECRET_GRACE_SECONDS', fallback: '604800', help: 'seconds a replaced signing secret still verifies after a new one is added, before it is erased' },
  { key: 'smtpUrl', flag: 'smtp-url', env: 'LOCKSTEP_SMTP_URL', fallback: undefined, help: 'smtp:// or smtps:// URL, credentials included, for email notifications' },
  { key: 'mailFrom', flag: 'mail-from', env: 'LOCKSTEP_MAIL_FROM', fallback: 'lockstep@localhost', help: 'sender address of email notifications' },
  // 256: while the dispatcher has a slot free, a new item is stored claimed (KeyedWorker.admit) and costs no claim
  // of its own. At 64, under a stream of changes, the slots were full, and nearly every item waited in the store
  // and was claimed: one findAndModify a change, 1.7 ms of CPU on FerretDB. A send mostly waits for its peer,
  // and the sends to one peer go together, in one batch request (EnvelopeBatcher).
  { key: 'outboundConcurrency', flag: 'outbound-concurrency', env: 'LOCKSTEP_OUTBOUND_CONCURRENCY', fallback: '256', help: 'outbound queue items sent at once, each for a different record; 0 pauses sending' },
  { key: 'outboundRetryDelayMs', flag: 'outbound-retry-delay-ms', env: 'LOCKSTEP_OUTBOUND_RETRY_DELAY_MS', fallback: '500', help: 'ms before the first outbound retry; each further one doubles it' },
  { key: 'outboundRetryMaxDelayMs', flag: 'outbound-retry-max-delay-ms', env: 'LOCKSTEP_OUTBOUND_RETRY_MAX_DELAY_MS', fallback: '30000', help: 'longest wait between two attempts of one outbound item' },
  { key: 'linkFailureWindowMs', flag: 'link-failure-window-ms', env: 'LOCKSTEP_LINK_FAILURE_WINDOW_MS', fallback: '300000', help: "ms a remote system's outbound or inbound link may keep failing with no success before its state becomes error" },
  { key: 'linkProbeMaxDelayMs', flag: 'link-probe-max-delay-ms', env: 'LOCKSTEP_LINK_PROBE_MAX_DELAY_MS', fallback: '60000', help: 'longest wait between two probes of a link in error, which return it to active once the peer validates' },
  { key: 'attachmentMaxBytes', flag: 'attachment-max-bytes', env: 'LOCKSTEP_ATTACHMENT_MAX_BYTES', fallback: '1073741824', help: 'largest attachment accepted, uploaded or synced, in bytes' },
  { key: 'attachmentExtensions', flag: 'attachment-extensions', env: 'LOCKSTEP_ATTACHMENT_EXTENSIONS', fallback: DEFAULT_ATTACHMENT_EXTENSIONS, help: 'comma-separated file extensions an attachment may have; names without one are allowed' },
  { key: 'attachmentMaxPerRecord', flag: 'attachment-max-per-record', env: 'LOCKSTEP_ATTACHMENT_MAX_PER_RECORD', fallback: '100', help: 'attachments one record may have' },
  { key: 'attachmentMaxRecordBytes', flag: 'attachment-max-record-bytes', env: 'LOCKSTEP_ATTACHMENT_MAX_RECORD_BYTES', fallback: '10737418240', help: "bytes one record's attachments may add up to" },
  { key: 'attachmentPendingTtlSeconds', flag: 'attachment-pending-ttl', env: 'LOCKSTEP_ATTACHMENT_PENDING_TTL_SECONDS', fallback: '3600', help: 'seconds content a remote system pushed may wait to be completed and moved to its record before it is removed' },
  { key: 'attachmentKeyTtlSeconds', flag: 'attachment-key-ttl', env: 'LOCKSTEP_ATTACHMENT_KEY_TTL_SECONDS', fallback: '604800', help: 'seconds a synthetic attachment key offered to a remote system stays valid' },
  { key: 'tokenMaxDays', flag: 'token-max-days', env: 'LOCKSTEP_TOKEN_MAX_DAYS', fallback: '90', help: 'days an API token lives at most, and by default' },
  { key: 'contextRetentionDays', flag: 'context-retention-days', env: 'LOCKSTEP_CONTEXT_RETENTION_DAYS', fallback: '7', help: "days a completed run's flow context is kept" },
  { key: 'failedContextRetentionDays', flag: 'failed-context-retention-days', env: 'LOCKSTEP_FAILED_CONTEXT_RETENTION_DAYS', fallback: '30', help: "days a failed run's flow context is kept" },
  { key: 'queueRetentionDays', flag: 'queue-retention-days', env: 'LOCKSTEP_QUEUE_RETENTION_DAYS', fallback: '7', help: 'days Processed and Skipped queue items are kept, with their flow contexts' },
  { key: 'queueOpenRetentionDays', flag: 'queue-open-retention-days', env: 'LOCKSTEP_QUEUE_OPEN_RETENTION_DAYS', fallback: '30', help: 'days Error and Ready queue items are kept, with their flow contexts' },
  { key: 'metrics', flag: 'metrics', env: 'LOCKSTEP_METRICS', fallback: 'loopback', help: 'who may read /metrics: loopback (this host only), admin (an admin\'s credentials), open, or off' },
  { key: 'syncDebug', flag: 'sync-debug', env: 'LOCKSTEP_SYNC_DEBUG', fallback: 'false', help: 'log each step of every queue item (true or false); also switched while running: PUT /api/lockstep/v1/sync/debug' },
] as const;

export const runtimeConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  // Links this instance returns (download_link) start with it, never with the Host header a request brings.
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'a public URL is http:// or https://, like https://lockstep.example.com' })
    .refine((url) => !/[?#]/.test(url) && !URL.parse(url)?.username, 'a public URL has no credentials, query or fragment')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  dataDir: z.string().min(1),
  mongodbUri: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'a MongoDB URI starts with mongodb:// or mongodb+srv://')
    .optional(),
  databaseName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'a database name is up to 63 letters, digits, _ or -')
    .optional(),
  instanceName: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an instance name is up to 40 letters, digits, _ or -'),
  adminUser: z.string().min(1),
  adminPassword: z.string().min(8, 'the admin password needs at least 8 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  shutdownTimeoutMs: z.coerce.number().int().min(0),
  expressionTimeoutMs: z.coerce.number().int().min(1).max(600_000),
  expressionMaxResultBytes: z.coerce.number().int().min(1),
  webhookAllow: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))
    .pipe(z.array(z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/, 'each webhook host is a host name or IP address, optionally with :port')))
    .default([]),
  outboundAllow: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))
    .pipe(z.array(outboundAllowEntry))
    .default([]),
  // The flag exists as every setting has one, but the environment keeps the key out of the process list.
  secretKey: z
    .string()
    .refine((key) => /^[A-Za-z0-9+/]{43}=$/.test(key) && Buffer.from(key, 'base64').length === 32, 'the secret key is 32 bytes in base64 (44 characters), as openssl rand -base64 32 makes it')
    .optional(),
  signingSecretGraceSeconds: z.coerce.number().int().min(0),
  smtpUrl: z.string().regex(/^smtps?:\/\/\S+$/, 'an SMTP URL starts with smtp:// or smtps://').optional(),
  // Not z.email(): the default lockstep@localhost has no top-level domain.
  mailFrom: z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'the sender is an address like lockstep@example.com'),
  // 0 pauses sending: items queue up, and go once the instance runs with a higher number.
  outboundConcurrency: z.coerce.number().int().min(0).max(256),
  outboundRetryDelayMs: z.coerce.number().int().min(0),
  outboundRetryMaxDelayMs: z.coerce.number().int().min(1),
  linkFailureWindowMs: z.coerce.number().int().min(0),
  linkProbeMaxDelayMs: z.coerce.number().int().min(100),
  attachmentMaxBytes: z.coerce.number().int().min(1),
  attachmentExtensions: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim().toLowerCase().replace(/^\./, '')).filter((entry) => entry !== ''))
    .pipe(z.array(z.string().regex(/^[a-z0-9]{1,16}$/, 'each attachment extension is letters and digits, like pdf'))),
  attachmentMaxPerRecord: z.coerce.number().int().min(1),
  attachmentMaxRecordBytes: z.coerce.number().int().min(1),
  attachmentPendingTtlSeconds: z.coerce.number().int().min(1),
  attachmentKeyTtlSeconds: z.coerce.number().int().min(1),
  /** A leaked token stops working by itself; lowering it also shortens the tokens already issued. @default 90 */
  tokenMaxDays: z.coerce.number().int().min(1).max(3650),
  contextRetentionDays: z.coerce.number().min(0),
  failedContextRetentionDays: z.coerce.number().min(0),
  queueRetentionDays: z.coerce.number().min(0),
  queueOpenRetentionDays: z.coerce.number().min(0),
  metrics: z.enum(metricsAccessModes),
  syncDebug: z.enum(['true', 'false']).transform((flag) => flag === 'true'),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readConfig(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv): RuntimeConfig {
  const raw: Record<string, string | undefined> = {};
  for (const setting of settings) {
    const value = flags[setting.flag] ?? env[setting.env] ?? setting.fallback;
    if (value !== undefined && value !== '') raw[setting.key] = value;
  }
  const parsed = runtimeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const setting = settings.find((candidate) => candidate.key === issue.path[0]);
      return setting ? `--${setting.flag} / ${setting.env}: ${issue.message}` : issue.message;
    });
    throw new ConfigError(`invalid settings:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
