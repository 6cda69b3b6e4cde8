//! The page at `/` until the web interface arrives (issue 7): what is running and
//! where its API is, in the platform's three languages.

use axum::response::Html;

/// Each language's lines: heading, what this is, the API document, health, metrics.
const TEXT: [(&str, [&str; 5]); 3] = [
    (
        "zh-Hans",
        [
            "足迹 Zuji：产品碳足迹平台",
            "平台正在运行。网页界面即将推出；现在可以通过 REST API 使用全部功能。",
            "API 文档（OpenAPI 3.1）",
            "运行状态",
            "监控指标（Prometheus）",
        ],
    ),
    (
        "zh-Hant",
        [
            "足跡 Zuji：產品碳足跡平台",
            "平台正在運行。網頁介面即將推出；現在可以透過 REST API 使用全部功能。",
            "API 文件（OpenAPI 3.1）",
            "運行狀態",
            "監控指標（Prometheus）",
        ],
    ),
    (
        "en",
        [
            "Zuji: the product carbon footprint platform",
            "The platform is running. The web interface is coming; everything is available through the REST API now.",
            "API document (OpenAPI 3.1)",
            "Health",
            "Metrics (Prometheus)",
        ],
    ),
];

pub async fn index() -> Html<String> {
    let mut body = String::new();
    for (lang, [title, what, api, health, metrics]) in TEXT {
        body.push_str(&format!(
            "<section lang=\"{lang}\"><h1>{title}</h1><p>{what}</p><ul>\
             <li><a href=\"/api/v1/openapi.json\">{api}</a></li>\
             <li><a href=\"/readyz\">{health}</a></li>\
             <li><a href=\"/metrics\">{metrics}</a></li></ul></section>"
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Zuji 足迹</title><style>body{{font-family:system-ui,sans-serif;max-width:46rem;\
         margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}}section{{margin-bottom:2rem}}\
         a{{color:#0b5d1e}}</style></head><body>{body}</body></html>"
    ))
}
