import { http, HttpResponse, type HttpHandler } from 'msw';
import { SimulatedNetworkError, type Simulator } from './framework.js';

/** msw handlers that send every request under `baseUrl` to `simulator`. */
export function mswHandlers(simulator: Simulator, baseUrl: string): HttpHandler[] {
  return [
    http.all(`${baseUrl.replace(/\/+$/, '')}/*`, async ({ request }) => {
      try {
        return await simulator.handle(request);
      } catch (error) {
        if (error instanceof SimulatedNetworkError) return HttpResponse.error();
        throw error;
      }
    }),
  ];
}
