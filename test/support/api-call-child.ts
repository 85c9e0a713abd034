/**
 * Run as a child process (`node --import tsx`, perhaps as another user account): calls one method
 * of the app's API over the store given and prints its result as JSON on stdout.
 */
import path from 'node:path';
import { createApiService } from '../../electron/core/api/api-service.js';

const [storeDir, method, input] = process.argv.slice(2);
const api = createApiService({
  storeDir: storeDir!,
  exportDir: path.join(path.dirname(storeDir!), 'exports'),
  watchTickMs: false,
});
try {
  process.stdout.write(JSON.stringify(await api.call(method!, JSON.parse(input ?? '{}'))));
} finally {
  api.close();
}
