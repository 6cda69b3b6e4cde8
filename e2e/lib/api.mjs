// Arranging a scene through the REST API (`/api/v1`), for journeys that need something
// to exist before the browser looks at it: a computed footprint, a certified product
// with a carbon label. What a journey asserts is still what the page shows; the API only
// sets the stage, faster than clicking through pages another test already covers.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLES_DIR } from './paths.mjs';
import { currentServer, sleep } from './server.mjs';

/** The product category rule the battery example is certified under (bundled). */
export const BATTERY_PCR = 'zuji:pcr:battery-pack:draft';

/**
 * The LFP battery pack example (`examples/lfp-battery-pack.toml`), with a GTIN added the
 * way an exporter would upload it. 6901234567892: GS1 check digit worked by hand,
 * 6·1+9·3+0·1+1·3+2·1+3·3+4·1+5·3+6·1+7·3+8·1+9·3 = 128 → (10 − 8) mod 10 = 2.
 */
export const BATTERY_GTIN = '6901234567892';
export function batteryModel({ gtin = BATTERY_GTIN } = {}) {
  const text = fs.readFileSync(path.join(EXAMPLES_DIR, 'lfp-battery-pack.toml'), 'utf8');
  if (!gtin) return text;
  const out = text.replace('category = "battery-pack"', `category = "battery-pack"\ngtin = "${gtin}"`);
  assert.notEqual(out, text, 'lfp-battery-pack.toml no longer has category = "battery-pack"');
  return out;
}

/** An API client; `token` null for the public. Paths are relative to `/api/v1`. */
export class Api {
  constructor(server, token = null) {
    this.server = server;
    this.token = token;
  }

  /**
   * A request; resolves with { status, body (parsed JSON, else text), headers }. With
   * `expect`, a different status throws naming the request and the answer.
   */
  async request(method, p, { json, body, contentType, expect } = {}) {
    const headers = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload = body;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(json);
    } else if (body !== undefined) {
      headers['content-type'] = contentType ?? 'application/octet-stream';
    }
    const url = new URL(`/api/v1${p}`, this.server.url);
    const r = await fetch(url, { method, headers, body: payload });
    const text = await r.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text.
    }
    if (expect !== undefined && r.status !== expect) {
      throw new Error(`${method} ${url.pathname} answered ${r.status}, expected ${expect}: ${text.slice(0, 2000)}`);
    }
    return { status: r.status, body: parsed, headers: r.headers };
  }

  get(p, opts) {
    return this.request('GET', p, opts);
  }

  post(p, json, opts = {}) {
    return this.request('POST', p, { json, ...opts });
  }

  /** Waits until job `id` has finished; returns it, or throws if it failed. */
  async waitJob(id, { timeoutMs = 120_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body: job } = await this.get(`/jobs/${id}`, { expect: 200 });
      if (job.status === 'succeeded') return job;
      if (job.status === 'failed' || job.status === 'cancelled') {
        throw new Error(`job ${id} (${job.kind}) ${job.status}: ${JSON.stringify(job)}`);
      }
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  /** The signed-in caller: { org, user, scopes }. */
  async me() {
    return (await this.get('/me', { expect: 200 })).body;
  }
}

/**
 * An API client signed in as a seeded role (`enterprise`, `certifier`, `registry`) or as
 * `{ email, password }`.
 */
export async function apiAs(role, { server = currentServer() } = {}) {
  const who = typeof role === 'string' ? server.users[role] : role;
  if (!who) throw new Error(`no seeded user for role '${role}' (roles: ${Object.keys(server.users).join(', ')})`);
  const r = await new Api(server).post('/auth/login', { email: who.email, password: who.password }, { expect: 200 });
  return new Api(server, r.body.token);
}

/** The public's API client. */
export function publicApi({ server = currentServer() } = {}) {
  return new Api(server);
}

/**
 * Uploads a product model (TOML) as the enterprise and computes its footprint.
 * Returns { productId, footprintId, footprint } (the footprint as the API returns it).
 */
export async function computedFootprint({ model = batteryModel(), role = 'enterprise', server = currentServer() } = {}) {
  const api = await apiAs(role, { server });
  const created = await api.request('POST', '/products', { body: model, contentType: 'application/toml', expect: 201 });
  const productId = created.body.product.id;
  const started = await api.post(`/products/${productId}/footprints`, {}, { expect: 202 });
  const job = await api.waitJob(started.body.id);
  const footprintId = job.result.footprint_id;
  const footprint = (await api.get(`/footprints/${footprintId}`, { expect: 200 })).body;
  return { productId, footprintId, footprint, api };
}

/**
 * The whole trust chain over the API: the enterprise uploads and computes the battery
 * example (with a GTIN) and applies; the certification body reviews the documents,
 * has the platform recompute the footprint, approves and issues the label.
 *
 * Returns { productId, footprintId, total, fingerprint, applicationId, certificateId,
 * labelId, qrText, verifyPath } — `verifyPath` is the label's `/verify/…` page with the
 * scanned code, as a phone opens it. `disclose` (true) also makes the product public.
 */
export async function certifiedLabel({
  model = batteryModel(),
  pcr = BATTERY_PCR,
  disclose = true,
  server = currentServer(),
} = {}) {
  const { productId, footprintId, footprint, api: enterprise } = await computedFootprint({ model, server });
  const body = await apiAs('certifier', { server });
  const bodyOrg = (await body.me()).org.id;
  const app = await enterprise.post(
    '/certification/applications',
    {
      footprint_id: footprintId,
      certification_body_org_id: bodyOrg,
      pcr_id: pcr,
      documents: [{ name: 'bill of materials.xlsx', sha256: '9f'.repeat(32) }],
      previous_certificate_id: null,
    },
    { expect: 201 },
  );
  const applicationId = app.body.id;
  const act = (action) => body.post(`/certification/applications/${applicationId}/actions`, action, { expect: 200 });
  await act({ action: 'start_document_review' });
  await act({ action: 'complete_document_review', note: 'BOM and metering records reviewed' });
  const job = await body.post(`/certification/applications/${applicationId}/verification`, null, { expect: 202 });
  await body.waitJob(job.body.id);
  const approved = await act({ action: 'approve', certificate_id: '' });
  const certificateId = approved.body.certificate.id;
  const issued = await body.post('/labels', { certificate_id: certificateId }, { expect: 201 });
  const labelId = issued.body.label.id;
  const qrText = issued.body.qr_text;
  if (disclose) await enterprise.post(`/products/${productId}/disclosure`, { disclosed: true }, { expect: 200 });
  const z = new URL(qrText).searchParams.get('z');
  return {
    productId,
    footprintId,
    total: footprint.total,
    fingerprint: footprint.fingerprint,
    applicationId,
    certificateId,
    labelId,
    qrText,
    verifyPath: `/verify/${labelId}?z=${encodeURIComponent(z)}`,
  };
}
