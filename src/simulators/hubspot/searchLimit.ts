/**
 * HubSpot's CRM search limit, separate from the burst limit: "the search endpoints are rate limited to
 * five requests per second per account", 200 results per page, 10,000 results per query
 * (https://developers.hubspot.com/docs/api-reference/search/guide#limitations; raised from 4 to 5 with
 * https://developers.hubspot.com/changelog/increasing-our-api-limits). HubSpot's search answers carry
 * no `X-HubSpot-RateLimit-*` headers, and its search 429 has neither those headers nor Retry-After;
 * the body is HubSpot's `RATE_LIMIT` shape with policy `SECONDLY`. Details and sources: docs/platform.md,
 * "Search API limits".
 */
import { randomUUID } from 'node:crypto';
import type { RateLimit, RouteLimit, SimReply } from '../framework.js';

/** The documented search limit: 5 requests per second per account. */
export const HUBSPOT_SEARCH_RATE_LIMIT: Readonly<RateLimit> = { limit: 5, windowMs: 1000 };

/** A sliding window over accepted search calls; `rateLimit` undefined switches it off. */
export class SearchRateLimit implements RouteLimit {
  readonly hidesRateLimitHeaders = true;
  private recent: number[] = [];

  constructor(public rateLimit: RateLimit | undefined) {}

  check(now: number): SimReply | undefined {
    if (!this.rateLimit) return undefined;
    const { limit, windowMs } = this.rateLimit;
    this.recent = this.recent.filter((t) => t > now - windowMs);
    if (this.recent.length >= limit) return { status: 429, body: searchLimitBody() };
    this.recent.push(now);
    return undefined;
  }
}

/** What HubSpot answers when the secondly (search) limit is exceeded; no Retry-After, no limit headers. */
export function searchLimitBody() {
  return {
    status: 'error',
    message: 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: 'SECONDLY',
  };
}
