//! Product models arriving over HTTP: TOML, JSON or an xlsx workbook, parsed and
//! validated with the same readers as the command line.

use crate::error::ApiError;
use zuji_formats::product_model::{ModelFormat, parse_product_model};
use zuji_model::product::ProductModel;

/// A parsed, valid model and the format it came in.
pub struct UploadedModel {
    pub model: ProductModel,
    pub format: &'static str,
}

/// The upload's format: the `format` query parameter, else the content type.
pub fn format_of(query: Option<&str>, content_type: Option<&str>) -> Result<ModelFormat, ApiError> {
    let name = match (query, content_type) {
        (Some(q), _) => q.to_ascii_lowercase(),
        (None, Some(ct)) if ct.contains("toml") => "toml".into(),
        (None, Some(ct)) if ct.contains("json") => "json".into(),
        (None, Some(ct)) if ct.contains("spreadsheetml") => "xlsx".into(),
        _ => {
            return Err(ApiError::invalid(
                "format",
                "say what the body is: ?format=toml|json|xlsx, or Content-Type application/toml, application/json or the xlsx type",
            ));
        }
    };
    match name.as_str() {
        "toml" => Ok(ModelFormat::Toml),
        "json" => Ok(ModelFormat::Json),
        "xlsx" => Ok(ModelFormat::Xlsx),
        other => Err(ApiError::invalid(
            "format",
            format!("'{other}' is not a model format (toml, json, xlsx)"),
        )),
    }
}

/// Parses and validates a model; every problem is reported with its place.
pub fn parse(bytes: &[u8], format: ModelFormat) -> Result<UploadedModel, ApiError> {
    let (model, label, loaded) = match format {
        ModelFormat::Xlsx => {
            let model = zuji_formats::xlsx::read_model_xlsx_bytes(bytes, "upload.xlsx")
                .map_err(|e| ApiError::invalid("upload.xlsx", e.to_string()))?;
            (model, "xlsx", None)
        }
        f => {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| ApiError::invalid("body", format!("not UTF-8 text: {e}")))?;
            let label = if f == ModelFormat::Toml {
                "toml"
            } else {
                "json"
            };
            let loaded = parse_product_model(text, f, &format!("upload.{label}")).map_err(|e| {
                let mut err = ApiError::invalid("body", e.to_string());
                if let zuji_formats::product_model::ModelReadError::Syntax {
                    line, column, ..
                } = e
                {
                    err.body.field = Some(format!("line {line}, column {column}"));
                }
                err
            })?;
            (loaded.model.clone(), label, Some(loaded))
        }
    };
    let errors = zuji_model::validate::validate(&model);
    if let Some(first) = errors.first() {
        let described: Vec<String> = match &loaded {
            Some(l) => errors.iter().map(|e| l.describe(e)).collect(),
            None => errors.iter().map(|e| e.to_string()).collect(),
        };
        let mut err = ApiError::invalid(first.path.to_string(), described.join("\n"));
        err.body.code = "invalid_model";
        return Err(err);
    }
    Ok(UploadedModel {
        model,
        format: label,
    })
}
