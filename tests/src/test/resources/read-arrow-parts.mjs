// Reads an Arrow IPC file with Apache Arrow's JavaScript library (not our code) and prints, per row:
// name TAB dtype TAB shape as JSON TAB SHA-256 of data, then the schema metadata as JSON, keys sorted.
import { tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'fs';
import { createHash } from 'crypto';

const table = tableFromIPC(readFileSync(process.argv[2]));
for (let i = 0; i < table.numRows; i++) {
  const row = table.get(i);
  const sha = createHash('sha256').update(row.data).digest('hex');
  console.log([row.name, row.dtype, JSON.stringify(Array.from(row.shape, Number)), sha].join('\t'));
}
console.log('metadata\t' + JSON.stringify(Object.fromEntries([...table.schema.metadata].sort())));
