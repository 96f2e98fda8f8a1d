/**
 * Runs first in every function bundle (esbuild `inject`, scripts/build-functions.ts), before any
 * module allocates. HubSpot counts an invocation's whole RSS against its 128 MB, and under a steady
 * allocation rate (a product sync slice parsing and writing ~20,000 items) V8 grows its young
 * generation from 2 MB to 32 MB (two semi-spaces of 16 MB): about 20 MB of peak RSS spent on garbage.
 * A growth factor of 1 keeps the young generation at its initial size; scavenges become more frequent
 * but each is smaller (measured: lower CPU time per slice, bench/products.bench.ts). `--semi-space-
 * growth-factor` is one of the V8 flags that take effect after start-up (a unit test checks it does).
 * The connector service, a long-lived process, is built without it.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
