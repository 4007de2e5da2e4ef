import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig, settings } from '../src/config.js';

describe('settings', () => {
  it('take a flag over the environment, and the environment over the default', () => {
    const config = readConfig({ port: '9001' }, { PORT: '9002', LOCKSTEP_DATA_DIR: '/srv/lockstep' });
    expect(config).toMatchObject({ port: 9001, dataDir: '/srv/lockstep', host: '127.0.0.1', instanceName: 'lockstep' });
  });

  it('name every bad setting by its flag and variable', () => {
    const read = () => readConfig({ port: 'eighty' }, { MONGODB_URI: 'postgres://nope', LOG_LEVEL: 'loud' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/--port \/ PORT: .*\n\s+--mongodb-uri \/ MONGODB_URI: a MongoDB URI starts with mongodb:\/\/.*\n\s+--log-level \/ LOG_LEVEL/);
  });

  it('are each documented in the README configuration table', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => line.startsWith('| `--'));
    expect(rows).toHaveLength(settings.length);
    for (const setting of settings) {
      expect(rows.some((row) => row.startsWith(`| \`--${setting.flag}\` | \`${setting.env}\` |`)), setting.flag).toBe(true);
    }
  });
});
