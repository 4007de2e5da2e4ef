import { pino, type Logger } from 'pino';
import type { RuntimeConfig } from './config.js';

export function createLogger(config: Pick<RuntimeConfig, 'logLevel' | 'instanceName'>): Logger {
  return pino({
    level: config.logLevel,
    base: { instance: config.instanceName },
    // Credentials must never reach a log, whatever logs a request.
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
}
