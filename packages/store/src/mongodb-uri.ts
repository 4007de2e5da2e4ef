// mongodb://[user:password@]host[:port][,host…][/database][?options]; mongodb+srv:// likewise.
const uriPattern = /^(mongodb(?:\+srv)?):\/\/(?:[^@/]*@)?([^/?]*)(?:\/([^?]*))?/;

function parse(uri: string): { scheme: string; hosts: string; path: string } {
  const match = uriPattern.exec(uri);
  if (match === null) throw new Error('a MongoDB URI starts with mongodb:// or mongodb+srv://');
  const [, scheme = '', hosts = '', path = ''] = match;
  return { scheme, hosts, path };
}

/** The database named in the URI's path, if any. */
export function databaseNameFromUri(uri: string): string | undefined {
  const { path } = parse(uri);
  return path === '' ? undefined : decodeURIComponent(path);
}

/**
 * Where the data lives, for logs and /health: scheme, hosts and database only.
 * Credentials are dropped, and so are the options, which can carry secrets too
 * (authMechanismProperties, tlsCertificateKeyFilePassword).
 */
export function describeLocation(uri: string, databaseName: string): string {
  const { scheme, hosts } = parse(uri);
  return `${scheme}://${hosts}/${databaseName}`;
}
