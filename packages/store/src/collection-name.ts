/**
 * Collection names become file names in the embedded store and collection
 * names in MongoDB, so both adapters accept only names that are safe as either:
 * no path separators, no dots (MongoDB's `system.` namespace), no `$`.
 */
const collectionNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,119}$/;

export function assertCollectionName(name: string): void {
  if (!collectionNamePattern.test(name)) {
    throw new Error(`invalid collection name ${JSON.stringify(name)}: use a letter, then letters, digits, _ or - (at most 120)`);
  }
}
