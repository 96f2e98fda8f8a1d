/**
 * Keeps a long slice within HubSpot's 128 MB: the sync itself holds little (a few pages), but V8 lets
 * its heap grow far past what is live before it collects, and the platform counts that. A full
 * collection when the heap passes HEAP_LIMIT keeps the peak near the live size (measured through the
 * runner: bench/products.bench.ts, product_sync.function_peak_rss_mb). The loaded modules alone use
 * ~18 MB of heap; 28 MB leaves room for the pages in flight (32 MB measured 3–5 MB more peak RSS,
 * 24 MB a third more CPU time for 3 MB less).
 *
 * `gc` is not exposed without `--expose-gc`, which HubSpot does not pass; V8 accepts the flag at
 * runtime and a fresh context then sees `gc` (the idiom of Node's own v8.setFlagsFromString docs).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const HEAP_LIMIT = 28 * 1024 * 1024;

let collect: (() => void) | undefined | null;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Collects garbage when the heap has grown past the limit; cheap to call after every page. */
export function keepHeapSmall(): void {
  if (getHeapStatistics().used_heap_size < HEAP_LIMIT) return;
  collector()?.();
}
