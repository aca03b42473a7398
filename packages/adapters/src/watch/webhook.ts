import { createHmac } from 'node:crypto';
import { backoffDelay } from '../http/rate.js';
import type { WatchAlert } from './alert.js';

/**
 * POST an alert as JSON to a webhook, signed `x-ctrace-signature: sha256=<HMAC-SHA256 of the body>` when a secret
 * is given, retried with exponential backoff.
 * @returns null when delivered, else the last failure (HTTP status or error)
 */
export async function postAlert(url: string, secret: string | undefined, a: WatchAlert, retries: number): Promise<string | null> {
  const body = JSON.stringify(a);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ctrace-alert-id': a.id };
  if (secret) headers['x-ctrace-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  let last = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, backoffDelay(attempt, 250, 8000)));
    try {
      const r = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      if (r.ok) return null;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
  }
  return last;
}
