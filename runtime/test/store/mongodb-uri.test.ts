import { describe, expect, it } from 'vitest';
import { databaseNameFromUri, describeLocation } from '@lockstep/store';

describe('MongoDB URIs', () => {
  it.each([
    ['mongodb://localhost:27017', undefined],
    ['mongodb://localhost:27017/', undefined],
    ['mongodb://localhost:27017/?replicaSet=rs0', undefined],
    ['mongodb://localhost/sync', 'sync'],
    ['mongodb://user:p%40ss@a:1,b:2/sync?authSource=admin', 'sync'],
    ['mongodb+srv://cluster0.example.net/my%20db?retryWrites=true', 'my db'],
  ])('finds the database of %s', (uri, expected) => {
    expect(databaseNameFromUri(uri)).toBe(expected);
  });

  it('describes a location without credentials or options', () => {
    expect(describeLocation('mongodb://user:secret@a:1,b:2/sync?tlsCertificateKeyFilePassword=hush', 'sync')).toBe('mongodb://a:1,b:2/sync');
    expect(describeLocation('mongodb+srv://u:p@cluster0.example.net', 'lockstep')).toBe('mongodb+srv://cluster0.example.net/lockstep');
  });

  it('refuses what is not a MongoDB URI', () => {
    expect(() => databaseNameFromUri('postgres://localhost/db')).toThrow(/mongodb:\/\//);
  });
});
