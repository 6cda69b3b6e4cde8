//! Background work that talks to PACT partners, run by the job workers so that it
//! survives restarts and is retried with back-off (`JobKind::retry_delay_ms`):
//! answering a partner's request, fetching a partner's footprints, sending a request.

use super::client::{ApiVersion, PartnerClient, origin};
use super::events::types;
use super::host::{Api, served};
use super::time::format_rfc3339_ms;
use serde_json::{Value, json};
use zuji_store::{ClaimedJob, JobKind, PactCaller, Store, Viewer};

/// A random (version 4) UUID for the events Zuji sends.
pub fn new_uuid() -> Result<String, String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| format!("no system randomness: {e}"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

fn api_of(spec: &str) -> Api {
    if spec == "2" { Api::V2 } else { Api::V3 }
}

/// Where the answer to a request goes: the request's `source` when it is on the
/// partner's registered origin (`…/3/events` appended unless already there), else the
/// partner's own events endpoint. Never an address the partner did not register.
pub fn callback_url(source: &str, partner_base: &str, api: Api) -> String {
    let path = match api {
        Api::V3 => "/3/events",
        Api::V2 => "/2/events",
    };
    let source = if let Some(rest) = source.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        source.to_string()
    };
    let candidate = if source.ends_with(path) {
        source.clone()
    } else {
        format!("{}{path}", source.trim_end_matches('/'))
    };
    if origin(&candidate).is_some() && origin(&candidate) == origin(partner_base) {
        candidate
    } else {
        format!("{partner_base}{path}")
    }
}

/// Runs one PACT job; `Err` is retried (transport errors, a partner that is down).
pub async fn run(store: &Store, job: &ClaimedJob) -> Result<Value, String> {
    let client = PartnerClient::shared().map_err(|e| e.to_string())?;
    match job.kind {
        JobKind::PactCallback => callback(store, &client, &job.payload).await,
        JobKind::PactFetch => fetch(store, &client, &job.payload).await,
        JobKind::PactSend => send(store, &client, &job.payload).await,
        other => Err(format!("{} is not a PACT job", other.as_str())),
    }
}

fn field_i64(payload: &Value, key: &str) -> Result<i64, String> {
    payload
        .get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| format!("the job payload has no '{key}'"))
}

async fn callback(store: &Store, client: &PartnerClient, payload: &Value) -> Result<Value, String> {
    let sys = Viewer::System;
    let req = store
        .get_pact_request(&sys, field_i64(payload, "request_id")?)
        .await
        .map_err(|e| e.to_string())?;
    let caller = PactCaller {
        org_id: req.org_id,
        api_client_id: req.api_client_id,
    };
    let partner = store
        .partner_for_client(&caller)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "no partner is registered for API client {} that sent request {}; register it (with the credentials it issued) to send the answer",
                req.api_client_id, req.event_id
            )
        })?;
    let creds = store
        .partner_credentials(&sys, partner.id)
        .await
        .map_err(|e| e.to_string())?;
    let api = api_of(&req.spec_version);
    let t = types(api);
    let answer = req.answer.clone().unwrap_or(Value::Null);
    let (kind, data) = match req.status.as_str() {
        "fulfilled" => {
            let mut pfs = Vec::new();
            for id in answer
                .get("pf_ids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let row = store
                    .pact_footprint_for(&caller, id)
                    .await
                    .map_err(|e| format!("footprint {id}: {e}"))?;
                pfs.push(
                    served(&row, api)
                        .ok_or_else(|| format!("footprint {id} has no PACT v2.3 form to send"))?,
                );
            }
            (
                t.fulfilled,
                json!({"requestEventId": req.event_id, "pfs": pfs}),
            )
        }
        "rejected" => (
            t.rejected,
            json!({"requestEventId": req.event_id, "error": {
                "code": answer.get("code").cloned().unwrap_or(json!("BadRequest")),
                "message": answer.get("message").cloned().unwrap_or(json!("rejected")),
            }}),
        ),
        other => return Err(format!("request {} is {other}, not answered", req.id)),
    };
    let source = payload
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("//zuji.invalid");
    let event = json!({
        "type": kind,
        "specversion": "1.0",
        "id": new_uuid()?,
        "source": source,
        "time": format_rfc3339_ms(zuji_store::now_ms()),
        "data": data,
    });
    let url = callback_url(&req.source, &partner.base_url, api);
    let token = client
        .token(&partner.base_url, &creds.client_id, &creds.client_secret)
        .await
        .map_err(|e| e.to_string())?;
    client
        .post_event(&url, &token, &event)
        .await
        .map_err(|e| e.to_string())?;
    Ok(json!({"delivered_to": url, "type": kind}))
}

async fn fetch(store: &Store, client: &PartnerClient, payload: &Value) -> Result<Value, String> {
    let creds = store
        .partner_credentials(&Viewer::System, field_i64(payload, "partner_id")?)
        .await
        .map_err(|e| e.to_string())?;
    let p = &creds.partner;
    let version = ApiVersion::parse(&p.spec_version);
    let token = client
        .token(&p.base_url, &creds.client_id, &creds.client_secret)
        .await
        .map_err(|e| e.to_string())?;
    let ids: Vec<String> = payload
        .get("pf_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    let docs = if ids.is_empty() {
        client
            .list_footprints(&p.base_url, &token, version)
            .await
            .map_err(|e| e.to_string())?
    } else {
        let mut docs = Vec::new();
        for id in &ids {
            docs.push(
                client
                    .get_footprint(&p.base_url, &token, version, id)
                    .await
                    .map_err(|e| e.to_string())?,
            );
        }
        docs
    };
    let (mut new, mut changed, mut unchanged) = (0, 0, 0);
    let mut refused = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        // A malformed footprint will not improve by retrying: it is reported, not retried.
        match super::supplier::store_fetched(store, p, doc).await {
            Ok(zuji_store::SupplierUpdate::New) => new += 1,
            Ok(zuji_store::SupplierUpdate::Changed) => changed += 1,
            Ok(zuji_store::SupplierUpdate::Unchanged) => unchanged += 1,
            Err(e) => refused.push(json!({"index": i, "id": doc.get("id"), "error": e})),
        }
    }
    Ok(
        json!({"fetched": docs.len(), "new": new, "changed": changed, "unchanged": unchanged, "refused": refused}),
    )
}

async fn send(store: &Store, client: &PartnerClient, payload: &Value) -> Result<Value, String> {
    let event_id = payload
        .get("event_id")
        .and_then(Value::as_str)
        .ok_or("the job payload has no 'event_id'")?;
    let (org_id, partner_id, criteria, _) = store
        .outbound_request(event_id)
        .await
        .map_err(|e| e.to_string())?;
    let creds = store
        .partner_credentials(&Viewer::System, partner_id)
        .await
        .map_err(|e| e.to_string())?;
    let p = &creds.partner;
    let api = api_of(&p.spec_version);
    let data = match api {
        Api::V3 => criteria.clone(),
        Api::V2 => json!({
            "pf": {"productIds": criteria.get("productId").cloned().unwrap_or(json!([]))},
            "comment": criteria.get("comment").cloned().unwrap_or(json!("")),
        }),
    };
    let source = payload
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("//zuji.invalid");
    let event = json!({
        "type": types(api).created,
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "time": format_rfc3339_ms(zuji_store::now_ms()),
        "data": data,
    });
    let token = client
        .token(&p.base_url, &creds.client_id, &creds.client_secret)
        .await
        .map_err(|e| e.to_string())?;
    let url = format!(
        "{}{}",
        p.base_url,
        match api {
            Api::V3 => "/3/events",
            Api::V2 => "/2/events",
        }
    );
    client
        .post_event(&url, &token, &event)
        .await
        .map_err(|e| e.to_string())?;
    store
        .set_outbound_request_status(org_id, Some(partner_id), event_id, "sent", None)
        .await
        .map_err(|e| e.to_string())?;
    Ok(json!({"delivered_to": url}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_targets_stay_on_the_partner() {
        let base = "http://127.0.0.1:8004";
        assert_eq!(
            callback_url("http://127.0.0.1:8004", base, Api::V3),
            "http://127.0.0.1:8004/3/events"
        );
        assert_eq!(
            callback_url("http://127.0.0.1:8004/2/events", base, Api::V2),
            "http://127.0.0.1:8004/2/events"
        );
        // A source elsewhere is not followed.
        assert_eq!(
            callback_url("https://evil.example/3/events", base, Api::V3),
            "http://127.0.0.1:8004/3/events"
        );
        assert_eq!(
            callback_url("//a.example", "https://a.example", Api::V3),
            "https://a.example/3/events"
        );
    }

    #[test]
    fn uuids_are_version_4() {
        let u = new_uuid().unwrap();
        assert!(super::super::events::is_uuid(&u));
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
