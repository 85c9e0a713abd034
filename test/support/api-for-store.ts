/** The app's API service over a test store, as the window's handlers reach it (no watch ticks). */
import path from 'node:path';
import {
  type ApiService,
  type ApiServiceOptions,
  createApiService,
} from '../../electron/core/api/api-service.js';
import type { TempStore } from './temp-store.js';

/** An API service over `temp`'s store, exporting under its base folder, its watch timer off; `options` add to it. */
export function apiForStore(temp: TempStore, options: Partial<ApiServiceOptions> = {}): ApiService {
  return createApiService({
    storeDir: temp.dir,
    exportDir: path.join(temp.base, 'exports'),
    watchTickMs: false,
    ...options,
  });
}
