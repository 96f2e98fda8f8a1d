'use strict';
/**
 * One app-function invocation in a fresh Node process, as HubSpot runs it: the parent (runner.ts)
 * starts this file with the function's secrets in process.env, sends `{ bundle, context }` over IPC;
 * this process `require`s the built bundle, calls `exports.main(context)` and sends back the
 * JSON-round-tripped reply (what HubSpot does with it), the require time and its peak RSS, then exits
 * (work left running after main returned dies with the process, as in a frozen container).
 */
const { performance } = require('node:perf_hooks');

process.once('message', async (message) => {
  const send = (payload) =>
    new Promise((resolve) => {
      const usage = process.resourceUsage();
      if (process.env.RUNNER_MEM)
        console.error(
          'MEM',
          JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)]))),
          JSON.stringify(
            require('node:v8')
              .getHeapSpaceStatistics()
              .map((s) => [s.space_name, Math.round(s.space_size / 1048576)]),
          ),
        );
      process.send({ ...payload, maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }, () => resolve());
    });
  let requireMs;
  try {
    const started = performance.now();
    const loaded = require(message.bundle);
    requireMs = performance.now() - started;
    if (typeof loaded.main !== 'function') throw new Error(`${message.bundle} does not export main`);
    if (message.requireOnly) return await send({ ok: true, reply: null, requireMs }).then(() => process.exit(0));
    const reply = await loaded.main(message.context);
    await send({ ok: true, reply: reply === undefined ? null : JSON.parse(JSON.stringify(reply)), requireMs });
  } catch (error) {
    await send({ ok: false, error: (error && error.stack) || String(error), requireMs });
  }
  process.exit(0);
});
process.send({ ready: true });
