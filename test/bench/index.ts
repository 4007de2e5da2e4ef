import { attachmentBench } from './attachments.js';
import { designerBench } from './designer.js';
import { engineBench } from './engine.js';
import { restartBench } from './restart.js';
import { syncBench } from './sync.js';

/**
 * `npm run bench`: every benchmark, printing its figures. Speed goals live
 * here, not in tests. `npm run bench -- sync` runs the named ones only.
 */
const print = (line: string) => process.stdout.write(`${line}\n`);
const benches: Record<string, (print: (line: string) => void) => Promise<void>> = { engine: engineBench, sync: syncBench, designer: designerBench, attachments: attachmentBench, restart: restartBench };

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in benches));
if (unknown.length > 0) throw new Error(`no bench named ${unknown.join(', ')}; the benches are ${Object.keys(benches).join(', ')}`);
for (const [name, bench] of Object.entries(benches)) {
  if (chosen.length === 0 || chosen.includes(name)) await bench(print);
}
