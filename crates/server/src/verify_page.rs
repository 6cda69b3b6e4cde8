//! `/verify/{label-id}`: the page a phone opens from a label's QR code, in 简体中文,
//! 繁體中文 or English (`?lang=`, else the browser's `Accept-Language`). It runs the same
//! checks as `GET /api/v1/labels/{id}/verification` — signature, the scanned payload
//! (`?z=`), the certificate's status now, inclusion in the transparency log — and says
//! plainly whether the label can be trusted.

use crate::AppState;
use crate::label_check::{LabelCheck, check_label};
use crate::routes::labels::base_url;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use zuji_store::StoreError;
use zuji_trust::label::{Lang, format_value};

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub z: Option<String>,
    pub lang: Option<String>,
}

/// The page's language: `?lang=` if it names one, else the first of the browser's
/// languages Zuji has (Traditional for zh-Hant, zh-TW, zh-HK, zh-MO), else 简体中文.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let parse = |tag: &str| -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        if t.starts_with("zh-hant") || ["zh-tw", "zh-hk", "zh-mo"].contains(&t.as_str()) {
            Some(Lang::ZhHant)
        } else if t.starts_with("zh") {
            Some(Lang::ZhHans)
        } else if t.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    };
    if let Some(l) = query.and_then(parse) {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .filter_map(|part| parse(part.split(';').next().unwrap_or_default()))
                .next()
        })
        .unwrap_or(Lang::ZhHans)
}

/// Every phrase of the page, per language.
struct Text {
    title: &'static str,
    valid: &'static str,
    revoked: &'static str,
    suspended: &'static str,
    expired: &'static str,
    superseded: &'static str,
    invalid: &'static str,
    not_found: &'static str,
    unavailable: &'static str,
    product: &'static str,
    value: &'static str,
    grade: &'static str,
    no_grade: &'static str,
    pcr: &'static str,
    certificate: &'static str,
    body: &'static str,
    validity: &'static str,
    checks: &'static str,
    signature_ok: &'static str,
    signature_bad: &'static str,
    scanned_ok: &'static str,
    scanned_bad: &'static str,
    status_now: &'static str,
    log_ok: &'static str,
    log_pending: &'static str,
    log_bad: &'static str,
    detail: &'static str,
    api: &'static str,
}

const ZH_HANS: Text = Text {
    title: "碳标识验证",
    valid: "有效：标识真实，证书有效。",
    revoked: "无效：证书已被撤销，此标识不得再使用。",
    suspended: "暂停：证书目前被暂停。",
    expired: "已过期：标识或证书的有效期已结束。",
    superseded: "已更新：产品已重新认证，此标识已被新标识取代。",
    invalid: "不可信：此标识未通过验证。",
    not_found: "登记处没有这个编号的碳标识。",
    unavailable: "暂时无法验证，请稍后再试。",
    product: "产品",
    value: "碳足迹",
    grade: "等级",
    no_grade: "（该类别尚无基准）",
    pcr: "核算规则",
    certificate: "证书",
    body: "认证机构",
    validity: "有效期",
    checks: "验证项目",
    signature_ok: "签名有效",
    signature_bad: "签名无效",
    scanned_ok: "扫描的二维码与登记的标识一致",
    scanned_bad: "扫描的二维码与登记的标识不一致",
    status_now: "证书当前状态",
    log_ok: "已记录在公开透明日志中并经签名树头证明",
    log_pending: "已写入透明日志，尚待下一个签名树头",
    log_bad: "透明日志证明失败",
    detail: "技术细节（英文）",
    api: "机器可读的验证结果（JSON）",
};

const ZH_HANT: Text = Text {
    title: "碳標識驗證",
    valid: "有效：標識真實，證書有效。",
    revoked: "無效：證書已被撤銷，此標識不得再使用。",
    suspended: "暫停：證書目前被暫停。",
    expired: "已過期：標識或證書的有效期已結束。",
    superseded: "已更新：產品已重新認證，此標識已被新標識取代。",
    invalid: "不可信：此標識未通過驗證。",
    not_found: "登記處沒有這個編號的碳標識。",
    unavailable: "暫時無法驗證，請稍後再試。",
    product: "產品",
    value: "碳足跡",
    grade: "等級",
    no_grade: "（該類別尚無基準）",
    pcr: "核算規則",
    certificate: "證書",
    body: "認證機構",
    validity: "有效期",
    checks: "驗證項目",
    signature_ok: "簽名有效",
    signature_bad: "簽名無效",
    scanned_ok: "掃描的二維碼與登記的標識一致",
    scanned_bad: "掃描的二維碼與登記的標識不一致",
    status_now: "證書目前狀態",
    log_ok: "已記錄在公開透明日誌中並經簽名樹頭證明",
    log_pending: "已寫入透明日誌，尚待下一個簽名樹頭",
    log_bad: "透明日誌證明失敗",
    detail: "技術細節（英文）",
    api: "機器可讀的驗證結果（JSON）",
};

const EN: Text = Text {
    title: "Carbon label verification",
    valid: "Valid: the label is authentic and its certificate is in force.",
    revoked: "Not valid: the certificate was withdrawn; this label must no longer be used.",
    suspended: "Suspended: the certificate is suspended for now.",
    expired: "Expired: the label's or the certificate's validity has ended.",
    superseded: "Superseded: the product was re-certified and this label replaced.",
    invalid: "Not trustworthy: this label failed verification.",
    not_found: "The registry has no carbon label with this id.",
    unavailable: "Verification is unavailable for the moment; please try again later.",
    product: "Product",
    value: "Carbon footprint",
    grade: "Grade",
    no_grade: "(no benchmark for this category yet)",
    pcr: "Product category rule",
    certificate: "Certificate",
    body: "Certification body",
    validity: "Valid",
    checks: "Checks",
    signature_ok: "Signature valid",
    signature_bad: "Signature not valid",
    scanned_ok: "The scanned code matches the registered label",
    scanned_bad: "The scanned code does not match the registered label",
    status_now: "Certificate status now",
    log_ok: "Recorded in the public transparency log, proven under a signed tree head",
    log_pending: "Written to the transparency log; awaiting the next signed tree head",
    log_bad: "Transparency-log proof failed",
    detail: "Technical detail (English)",
    api: "Machine-readable result (JSON)",
};

fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::ZhHans => &ZH_HANS,
        Lang::ZhHant => &ZH_HANT,
        Lang::En => &EN,
    }
}

/// A certificate status in the page's language.
fn status_word(lang: Lang, status: &str) -> &'static str {
    let words: [(&str, [&str; 3]); 5] = [
        ("valid", ["有效", "有效", "valid"]),
        ("suspended", ["暂停", "暫停", "suspended"]),
        ("withdrawn", ["已撤销", "已撤銷", "withdrawn"]),
        ("expired", ["已过期", "已過期", "expired"]),
        ("superseded", ["已被取代", "已被取代", "superseded"]),
    ];
    let i = match lang {
        Lang::ZhHans => 0,
        Lang::ZhHant => 1,
        Lang::En => 2,
    };
    words
        .iter()
        .find(|(k, _)| *k == status)
        .map(|(_, w)| w[i])
        .unwrap_or("?")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A Unix-seconds instant as a UTC date, YYYY-MM-DD.
fn date(unix: i64) -> String {
    zuji_trust::certification::Timestamp(unix)
        .date()
        .to_string()
}

fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Zuji</title><style>body{{font-family:system-ui,'Noto Sans CJK SC',sans-serif;\
         max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}}\
         .verdict{{padding:.8rem 1rem;border-radius:.5rem;font-weight:600}}\
         .ok{{background:#e3f4e6;color:#0b5d1e}}.bad{{background:#fde7e7;color:#8a1111}}\
         .warn{{background:#fff4d6;color:#6b4a00}}dl{{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}}\
         dt{{font-weight:600}}img{{max-width:100%;height:auto}}a{{color:#0b5d1e}}\
         nav a{{margin-right:1rem}}</style></head><body>{body}</body></html>",
        tag = lang.tag()
    )
}

fn lang_links(lang: Lang, id: &str, z: Option<&str>) -> String {
    let z = z
        .map(|z| format!("&amp;z={}", escape(&url_encode(z))))
        .unwrap_or_default();
    let id = escape(id);
    format!(
        "<nav aria-label=\"{label}\"><a href=\"/verify/{id}?lang=zh-Hans{z}\" lang=\"zh-Hans\">简体中文</a>\
         <a href=\"/verify/{id}?lang=zh-Hant{z}\" lang=\"zh-Hant\">繁體中文</a>\
         <a href=\"/verify/{id}?lang=en{z}\" lang=\"en\">English</a></nav>",
        label = crate::web::Tr::new(lang).t("nav.language")
    )
}

fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn render(lang: Lang, c: &LabelCheck, z: Option<&str>) -> String {
    let t = text(lang);
    let (class, verdict) = match c.verdict.as_str() {
        "valid" => ("ok", t.valid),
        "revoked" => ("bad", t.revoked),
        "suspended" => ("warn", t.suspended),
        "expired" => ("warn", t.expired),
        "superseded" => ("warn", t.superseded),
        _ => ("bad", t.invalid),
    };
    let s = &c.statement;
    let grade = s
        .grade
        .as_ref()
        .map(|g| {
            format!(
                "{} ({} v{})",
                escape(&g.grade),
                escape(&g.benchmark_period),
                g.benchmark_version
            )
        })
        .unwrap_or_else(|| t.no_grade.to_string());
    let mut checks = vec![if c.signature_valid {
        format!("✔ {}", t.signature_ok)
    } else {
        format!("✘ {}", t.signature_bad)
    }];
    if let Some(p) = &c.presented {
        checks.push(if p.matches {
            format!("✔ {}", t.scanned_ok)
        } else {
            format!("✘ {}", t.scanned_bad)
        });
    }
    checks.push(format!(
        "{} {}: {}",
        if c.certificate_status == "valid" {
            "✔"
        } else {
            "✘"
        },
        t.status_now,
        status_word(lang, &c.certificate_status)
    ));
    checks.push(match c.log.included {
        Some(true) => format!("✔ {}", t.log_ok),
        Some(false) => format!("✘ {}", t.log_bad),
        None => format!("… {}", t.log_pending),
    });
    let details = if c.reasons.is_empty() {
        String::new()
    } else {
        format!(
            "<details><summary>{}</summary><ul lang=\"en\">{}</ul></details>",
            t.detail,
            c.reasons
                .iter()
                .map(|r| format!("<li>{}</li>", escape(r)))
                .collect::<String>()
        )
    };
    let id = escape(&c.label_id);
    let body = format!(
        "{nav}<h1>{title}</h1><p class=\"verdict {class}\" role=\"status\" data-verdict=\"{v}\">{verdict}</p>\
         <img src=\"/api/v1/labels/{id}/label.svg?lang={tag}\" alt=\"{title} {id}\" width=\"400\">\
         <dl><dt>{lp}</dt><dd>{product}</dd><dt>{lv}</dt><dd data-value=\"{raw}\">{value} {unit} / {du}</dd>\
         <dt>{lg}</dt><dd>{grade}</dd><dt>{lpcr}</dt><dd>{pcr} {pcrv}</dd>\
         <dt>{lc}</dt><dd>{cert}</dd><dt>{lb}</dt><dd>{body}</dd><dt>{lval}</dt><dd>{from} – {until}</dd></dl>\
         <h2>{lchecks}</h2><ul>{checks}</ul>{details}\
         <p><a href=\"/api/v1/labels/{id}/verification\">{api}</a></p>",
        nav = lang_links(lang, &c.label_id, z),
        title = t.title,
        v = escape(&c.verdict),
        tag = lang.tag(),
        lp = t.product,
        product = escape(&s.product.name),
        lv = t.value,
        raw = s.value,
        value = escape(&format_value(s.value, lang)),
        unit = escape(&s.unit),
        du = escape(&s.declared_unit),
        lg = t.grade,
        lpcr = t.pcr,
        pcr = escape(&s.pcr.id),
        pcrv = escape(&s.pcr.version),
        lc = t.certificate,
        cert = escape(&s.certificate_id),
        lb = t.body,
        body = escape(&s.certification_body.name),
        lval = t.validity,
        from = date(s.valid_from),
        until = date(s.valid_until - 1),
        lchecks = t.checks,
        checks = checks
            .iter()
            .map(|c| format!("<li>{c}</li>"))
            .collect::<String>(),
        api = t.api,
    );
    page(lang, t.title, &body)
}

pub async fn verify(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    // `?lang=`, then the language the visitor chose elsewhere on the site, then the
    // browser's.
    let remembered = crate::web::cookie(&headers, crate::web::LANG_COOKIE);
    let lang = negotiate(q.lang.as_deref().or(remembered.as_deref()), &headers);
    let now = zuji_store::now_ms().div_euclid(1000);
    match check_label(&s.store, &id, q.z.as_deref(), &base_url(&s, &headers), now).await {
        Ok(c) => Html(render(lang, &c, q.z.as_deref())).into_response(),
        Err(StoreError::NotFound { .. }) => {
            let t = text(lang);
            let body = format!(
                "{}<h1>{}</h1><p class=\"verdict bad\" role=\"status\" data-verdict=\"not_found\">{}</p>",
                lang_links(lang, &id, None),
                t.title,
                t.not_found
            );
            (StatusCode::NOT_FOUND, Html(page(lang, t.title, &body))).into_response()
        }
        Err(e) => {
            // The detail goes to the server's log, not to the phone.
            tracing::warn!(error = %e, label = %id, "verifying a label failed");
            let t = text(lang);
            let body = format!(
                "<h1>{}</h1><p class=\"verdict bad\" role=\"status\" data-verdict=\"error\">{}</p>",
                t.title, t.unavailable
            );
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(page(lang, t.title, &body)),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        // 2026-11-21T00:00:00Z is 1,795,219,200 s: 20,778 days after the epoch.
        assert_eq!(date(1_795_219_200), "2026-11-21");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
    }

    #[test]
    fn language_from_query_then_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(negotiate(None, &h), Lang::ZhHans);
        h.insert(
            header::ACCEPT_LANGUAGE,
            "fr-FR,zh-HK;q=0.8,en;q=0.5".parse().unwrap(),
        );
        assert_eq!(negotiate(None, &h), Lang::ZhHant);
        assert_eq!(negotiate(Some("en"), &h), Lang::En);
        assert_eq!(negotiate(Some("xx"), &h), Lang::ZhHant);
        h.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9".parse().unwrap());
        assert_eq!(negotiate(None, &h), Lang::En);
    }
}
