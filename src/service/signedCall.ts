/**
 * Who is calling a card route: HubSpot signs every `hubspot.fetch` request with the app's client
 * secret (X-HubSpot-Signature-v3 over method + the URL it called + body + X-HubSpot-Request-Timestamp,
 * src/core/hubspotSignature.ts) and names the user and portal (`userId`, `userEmail`, `portalId`
 * query parameters; `ProxyMetadata` in @hubspot/ui-extensions). Sources: docs/service-mode.md
 * "What a hubspot.fetch request carries". A request without a valid, fresh, first-seen signature or
 * without the user and portal is refused before anything is read or written.
 */
import { z } from 'zod';
import { SIGNATURE_HEADER, verifyHubSpotSignature } from '../core/hubspotSignature.js';
import { MAX_SIGNATURE_AGE_MS } from '../core/hubspotSignature.js';

export interface Caller {
  userId: string;
  userEmail?: string;
  portalId: string;
}

export interface IncomingCall {
  method: string;
  /** Path and query as received, e.g. `/functions/validate_deal?userId=1&portalId=2`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export type CallCheck = { ok: true; caller: Caller; signature: string } | { ok: false; reason: string };

const callerSchema = z.object({
  userId: z.string().regex(/^\d{1,20}$/),
  portalId: z.string().regex(/^\d{1,20}$/),
  userEmail: z.string().max(320).optional(),
});

export function checkSignedCall(
  call: IncomingCall,
  options: { publicUrl: string; clientSecret: string; portalId?: string; now: Date },
): CallCheck {
  const signed = verifyHubSpotSignature(
    { method: call.method, uris: [`${options.publicUrl}${call.url}`], headers: call.headers, rawBody: call.rawBody },
    options.clientSecret,
    options.now,
  );
  if (!signed.ok) return signed;
  const query = Object.fromEntries(new URL(call.url, 'http://query.invalid').searchParams);
  const caller = callerSchema.safeParse(query);
  // Signed, but without the user or portal: HubSpot changed what it sends. Refuse loudly.
  if (!caller.success) return { ok: false, reason: 'signed request names no userId and portalId' };
  if (options.portalId && caller.data.portalId !== options.portalId)
    return { ok: false, reason: `signed for portal ${caller.data.portalId}, not ${options.portalId}` };
  const signature = String(call.headers[SIGNATURE_HEADER] ?? '');
  return { ok: true, caller: caller.data, signature };
}

/**
 * Refuses a signature seen before within its lifetime (a captured request replayed). Per process:
 * with several replicas a replay that reaches another replica is caught only by the timestamp window
 * (docs/security.md "Service mode"). A call answered with 5xx is forgotten, because HubSpot retries
 * a 5xx once and may resend the same signed request.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly lifetimeMs = 2 * MAX_SIGNATURE_AGE_MS) {}

  /** True the first time a signature is presented. */
  claim(signature: string, now: Date): boolean {
    this.sweep(now.getTime());
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, now.getTime() + this.lifetimeMs);
    return true;
  }

  forget(signature: string): void {
    this.seen.delete(signature);
  }

  private sweep(now: number): void {
    for (const [signature, expires] of this.seen) {
      if (expires > now) break; // insertion order = expiry order
      this.seen.delete(signature);
    }
  }
}
