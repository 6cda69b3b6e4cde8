//! PACT events (CloudEvents 1.0, structured mode) a partner posts to
//! `/3/events` or `/2/events`, and what the host does with each.
//!
//! - `RequestCreated`: recorded for the owner. Answered at once when it can be without
//!   a person: fulfilled when footprints the requester may already see match it,
//!   rejected (`NotFound`) when it names product ids the owner has never heard of.
//!   Otherwise it waits in the owner's workspace to be fulfilled or rejected.
//! - `RequestFulfilled` / `RequestRejected`: the answer to a request Zuji sent; the
//!   footprints are stored as supplier footprints.
//! - `Published`: a partner announces new footprints; a fetch job gets them.

use super::filter::FootprintFilter;
use super::host::Api;
use crate::AppState;
use axum::http::{HeaderMap, header};
use serde_json::{Value, json};
use zuji_store::{PactAnswer, PactCaller, StoreError, Viewer};

/// Why an event was refused (answered 400).
#[derive(Debug)]
pub enum EventError {
    Invalid(String),
}

fn invalid(m: impl Into<String>) -> EventError {
    EventError::Invalid(m.into())
}

/// What a `RequestCreated` event asks for.
#[derive(Debug, Clone)]
pub struct RequestCreated {
    pub event_id: String,
    pub source: String,
    /// The filter criteria as received (`productId`, `geography`, … or v2's `pf`).
    pub criteria: Value,
    pub filter: FootprintFilter,
    pub comment: Option<String>,
}

/// A parsed, validated event.
#[derive(Debug)]
pub enum InboundEvent {
    RequestCreated(Box<RequestCreated>),
    RequestFulfilled {
        request_event_id: String,
        pfs: Vec<Value>,
    },
    RequestRejected {
        request_event_id: String,
        error: Value,
    },
    Published {
        pf_ids: Vec<String>,
    },
}

/// Event type names of each API version.
pub struct EventTypes {
    pub created: &'static str,
    pub fulfilled: &'static str,
    pub rejected: &'static str,
    pub published: &'static str,
}

pub const V3_TYPES: EventTypes = EventTypes {
    created: "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
    fulfilled: "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
    rejected: "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
    published: "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
};

pub const V2_TYPES: EventTypes = EventTypes {
    created: "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
    fulfilled: "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
    rejected: "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1",
    published: "org.wbcsd.pathfinder.ProductFootprint.Published.v1",
};

pub fn types(api: Api) -> &'static EventTypes {
    match api {
        Api::V3 => &V3_TYPES,
        Api::V2 => &V2_TYPES,
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn string_field(obj: &Value, key: &str, at: &str) -> Result<String, EventError> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(_) => Err(invalid(format!("{at}{key} must be a non-empty string"))),
        None => Err(invalid(format!("{at}{key} is missing"))),
    }
}

/// Values of one criterion: a string or a list of strings.
fn criterion(data: &Value, key: &str) -> Result<Vec<(String, String)>, EventError> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![(key.to_string(), s.clone())]),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(|s| (key.to_string(), s.to_string()))
                    .ok_or_else(|| invalid(format!("data.{key} must hold strings")))
            })
            .collect(),
        Some(_) => Err(invalid(format!(
            "data.{key} must be a string or a list of strings"
        ))),
    }
}

fn request_filter(data: &Value, api: Api) -> Result<FootprintFilter, EventError> {
    let mut pairs = Vec::new();
    match api {
        Api::V3 => {
            for key in [
                "productId",
                "companyId",
                "geography",
                "classification",
                "validOn",
                "validAfter",
                "validBefore",
                "status",
            ] {
                pairs.extend(criterion(data, key)?);
            }
        }
        Api::V2 => {
            // v2 names a partial ProductFootprint: its product and company ids count.
            let pf = data.get("pf").unwrap_or(&Value::Null);
            for (key, name) in [("productIds", "productId"), ("companyIds", "companyId")] {
                pairs.extend(
                    criterion(pf, key)?
                        .into_iter()
                        .map(|(_, v)| (name.to_string(), v)),
                );
            }
        }
    }
    super::filter::parse_query(&pairs)
        .map(|(f, _)| f)
        .map_err(|e| invalid(format!("data.{}: {}", e.name, e.problem)))
}

/// Validates a CloudEvent posted to the events endpoint of `api`.
pub fn parse(headers: &HeaderMap, body: &[u8], api: Api) -> Result<InboundEvent, EventError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media != "application/cloudevents+json" && media != "application/json" {
        return Err(invalid(format!(
            "send the event as application/cloudevents+json (structured mode), not '{media}'"
        )));
    }
    let event: Value =
        serde_json::from_slice(body).map_err(|e| invalid(format!("the body is not JSON: {e}")))?;
    if !event.is_object() {
        return Err(invalid("the event must be a JSON object"));
    }
    match event.get("specversion").and_then(Value::as_str) {
        Some("1.0") => {}
        _ => return Err(invalid("specversion must be \"1.0\" (CloudEvents 1.0)")),
    }
    let id = string_field(&event, "id", "")?;
    let source = string_field(&event, "source", "")?;
    let kind = string_field(&event, "type", "")?;
    if let Some(t) = event.get("time")
        && t.as_str().and_then(super::time::parse_rfc3339).is_none()
    {
        return Err(invalid("time must be an RFC 3339 date-time"));
    }
    let data = match event.get("data") {
        Some(d @ Value::Object(_)) => d,
        _ => return Err(invalid("data must be an object")),
    };
    let t = types(api);
    if kind == t.created {
        Ok(InboundEvent::RequestCreated(Box::new(RequestCreated {
            event_id: id,
            source,
            criteria: data.clone(),
            filter: request_filter(data, api)?,
            comment: data
                .get("comment")
                .and_then(Value::as_str)
                .map(String::from),
        })))
    } else if kind == t.fulfilled {
        let request_event_id = string_field(data, "requestEventId", "data.")?;
        let Some(Value::Array(pfs)) = data.get("pfs") else {
            return Err(invalid("data.pfs must be a list of ProductFootprints"));
        };
        Ok(InboundEvent::RequestFulfilled {
            request_event_id,
            pfs: pfs.clone(),
        })
    } else if kind == t.rejected {
        let request_event_id = string_field(data, "requestEventId", "data.")?;
        let error = data
            .get("error")
            .filter(|e| e.is_object())
            .cloned()
            .ok_or_else(|| invalid("data.error must be an object with code and message"))?;
        string_field(&error, "code", "data.error.")?;
        string_field(&error, "message", "data.error.")?;
        Ok(InboundEvent::RequestRejected {
            request_event_id,
            error,
        })
    } else if kind == t.published {
        let Some(Value::Array(ids)) = data.get("pfIds") else {
            return Err(invalid("data.pfIds must be a list of footprint ids"));
        };
        let mut pf_ids = Vec::new();
        for (i, v) in ids.iter().enumerate() {
            match v.as_str() {
                Some(s) if is_uuid(s) => pf_ids.push(s.to_string()),
                _ => {
                    return Err(invalid(format!(
                        "data.pfIds[{i}] must be a footprint id (a UUID), not {v}"
                    )));
                }
            }
        }
        Ok(InboundEvent::Published { pf_ids })
    } else {
        let other = types(match api {
            Api::V3 => Api::V2,
            Api::V2 => Api::V3,
        });
        let hint = if [
            other.created,
            other.fulfilled,
            other.rejected,
            other.published,
        ]
        .contains(&kind.as_str())
        {
            " (it belongs to the other PACT version's endpoint)"
        } else {
            ""
        };
        Err(invalid(format!("unknown event type '{kind}'{hint}")))
    }
}

/// The address this host names as the `source` of the events it sends.
pub fn our_source(state: &AppState) -> String {
    state
        .pact
        .public_url
        .clone()
        .unwrap_or_else(|| "//zuji.invalid".into())
}

/// Records a request and answers it at once when no person needs to decide.
pub async fn on_request_created(
    state: &AppState,
    caller: &PactCaller,
    r: Box<RequestCreated>,
    api: Api,
) -> Result<(), StoreError> {
    let spec = match api {
        Api::V3 => "3",
        Api::V2 => "2",
    };
    let req = state
        .store
        .record_pact_request(
            caller,
            &r.event_id,
            &r.source,
            spec,
            &r.criteria,
            r.comment.as_deref(),
        )
        .await?;
    if req.status != "open" {
        return Ok(());
    }
    let visible = state.store.pact_footprints_for(caller).await?;
    let matching: Vec<String> = visible
        .iter()
        .filter(|row| row.status == "Active")
        .filter(|row| api == Api::V3 || row.v2.is_some())
        .filter(|row| super::host::served(row, Api::V3).is_some_and(|doc| r.filter.matches(&doc)))
        .map(|row| row.pf_id.clone())
        .collect();
    let answer = if !matching.is_empty() {
        Some(PactAnswer::Fulfil { pf_ids: matching })
    } else if !r.filter.product_ids.is_empty() {
        let known = state.store.org_known_product_ids(caller.org_id).await?;
        (!r.filter.product_ids.iter().any(|p| known.contains(p))).then(|| PactAnswer::Reject {
            code: "NotFound".into(),
            message: format!(
                "no product with the id(s) {} is known to this data owner",
                r.filter.product_ids.join(", ")
            ),
        })
    } else {
        None
    };
    if let Some(answer) = answer {
        state
            .store
            .answer_pact_request(&Viewer::System, req.id, &answer, &our_source(state))
            .await?;
    }
    Ok(())
}

/// A partner answered a request Zuji sent it.
pub async fn on_request_answered(
    state: &AppState,
    caller: &PactCaller,
    request_event_id: &str,
    answer: Result<Vec<Value>, Value>,
) -> Result<(), StoreError> {
    let partner = state
        .store
        .partner_for_client(caller)
        .await?
        .ok_or_else(|| StoreError::Invalid {
            field: "client".into(),
            problem: "this client is not registered as a partner that Zuji sent requests to".into(),
        })?;
    let (status, stored) = match &answer {
        Ok(pfs) => {
            for (i, pf) in pfs.iter().enumerate() {
                super::supplier::store_fetched(&state.store, &partner, pf)
                    .await
                    .map_err(|e| StoreError::Invalid {
                        field: format!("data.pfs[{i}]"),
                        problem: e,
                    })?;
            }
            let ids: Vec<Value> = pfs.iter().filter_map(|p| p.get("id").cloned()).collect();
            ("fulfilled", json!({"pf_ids": ids}))
        }
        Err(error) => ("rejected", json!({"error": error})),
    };
    let known = state
        .store
        .set_outbound_request_status(
            partner.org_id,
            Some(partner.id),
            request_event_id,
            status,
            Some(&stored),
        )
        .await?;
    if !known {
        return Err(StoreError::Invalid {
            field: "data.requestEventId".into(),
            problem: format!("'{request_event_id}' is not a request sent to this partner"),
        });
    }
    Ok(())
}

/// A partner announced new or changed footprints: fetch them if we can call it.
pub async fn on_published(
    state: &AppState,
    caller: &PactCaller,
    pf_ids: Vec<String>,
) -> Result<(), StoreError> {
    match state.store.partner_for_client(caller).await? {
        Some(p) if p.remote_client_id.is_some() => {
            state
                .store
                .enqueue_pact_fetch(&Viewer::System, p.id, &pf_ids)
                .await?;
        }
        _ => {
            tracing::info!(
                client = caller.api_client_id,
                ?pf_ids,
                "Published event from a client with no partner credentials to fetch with"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/cloudevents+json; charset=UTF-8"),
        );
        h
    }

    #[test]
    fn request_created_v3() {
        let body = br#"{"specversion":"1.0","id":"run/12","source":"http://127.0.0.1:8004","time":"2023-05-19T10:30:00Z","type":"org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3","data":{"productId":["urn:gtin:1234567890123"],"comment":"Please send PCF data for this year."}}"#;
        match parse(&headers(), body, Api::V3).unwrap() {
            InboundEvent::RequestCreated(r) => {
                assert_eq!(r.event_id, "run/12");
                assert_eq!(r.filter.product_ids, vec!["urn:gtin:1234567890123"]);
                assert_eq!(
                    r.comment.as_deref(),
                    Some("Please send PCF data for this year.")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn published_ids_must_be_uuids() {
        let body = br#"{"specversion":"1.0","id":"e","source":"//a","type":"org.wbcsd.pact.ProductFootprint.PublishedEvent.3","data":{"pfIds":["urn:gtin:4712345060507"]}}"#;
        let Err(EventError::Invalid(m)) = parse(&headers(), body, Api::V3) else {
            panic!("accepted a non-UUID pfId")
        };
        assert!(m.contains("data.pfIds[0]"), "{m}");
        let ok = br#"{"specversion":"1.0","id":"e","source":"//a","type":"org.wbcsd.pact.ProductFootprint.PublishedEvent.3","data":{"pfIds":["3a6c14a7-4deb-498a-b5ea-16ce2535b576"]}}"#;
        assert!(matches!(
            parse(&headers(), ok, Api::V3),
            Ok(InboundEvent::Published { .. })
        ));
    }

    #[test]
    fn wrong_version_and_shape_are_named() {
        let v2_on_v3 = br#"{"specversion":"1.0","id":"e","source":"//a","type":"org.wbcsd.pathfinder.ProductFootprint.Published.v1","data":{"pfIds":[]}}"#;
        let Err(EventError::Invalid(m)) = parse(&headers(), v2_on_v3, Api::V3) else {
            panic!()
        };
        assert!(m.contains("other PACT version"), "{m}");
        let no_spec = br#"{"id":"e","source":"//a","type":"x","data":{}}"#;
        assert!(parse(&headers(), no_spec, Api::V3).is_err());
        let mut text = HeaderMap::new();
        text.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(parse(&text, v2_on_v3, Api::V2).is_err());
    }

    #[test]
    fn v2_request_names_a_partial_footprint() {
        let body = br#"{"specversion":"1.0","id":"run/14.A","source":"http://h","type":"org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1","data":{"pf":{"productIds":["urn:pact:null"]},"comment":"x"}}"#;
        let Ok(InboundEvent::RequestCreated(r)) = parse(&headers(), body, Api::V2) else {
            panic!()
        };
        assert_eq!(r.filter.product_ids, vec!["urn:pact:null"]);
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("3a6c14a7-4deb-498a-b5ea-16ce2535b576"));
        assert!(!is_uuid("urn:uuid:3a6c14a7-4deb-498a-b5ea-16ce2535b576"));
        assert!(!is_uuid("3a6c14a7-4deb-498a-b5ea-16ce2535b57g"));
    }
}
