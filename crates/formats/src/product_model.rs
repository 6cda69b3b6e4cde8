//! Reading product models from TOML and JSON, with errors that name file, line and field.

use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use zuji_model::path::{FieldPath, PathSegment};
use zuji_model::product::ProductModel;
use zuji_model::validate::ModelError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelFormat {
    Toml,
    Json,
    /// A workbook from `zuji template xlsx`; its errors name sheet and cell.
    Xlsx,
}

impl ModelFormat {
    /// From a file extension: `.toml` or `.json`.
    pub fn from_path(path: &Path) -> Option<ModelFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(ModelFormat::Toml),
            "json" => Some(ModelFormat::Json),
            "xlsx" => Some(ModelFormat::Xlsx),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelReadError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Format { file: String, message: String },
}

/// A model with the text it was read from, so later errors can point at lines.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    pub model: ProductModel,
    pub file: String,
    pub text: String,
    pub format: ModelFormat,
}

/// Reads a product model file; the format follows the extension.
pub fn read_product_model(path: &Path) -> Result<LoadedModel, ModelReadError> {
    let file = path.display().to_string();
    let format = ModelFormat::from_path(path).ok_or_else(|| ModelReadError::Format {
        file: file.clone(),
        message: "a product model is a .toml, .json or .xlsx file".into(),
    })?;
    if format == ModelFormat::Xlsx {
        let model = crate::xlsx::read_model_xlsx(path).map_err(|e| ModelReadError::Format {
            file: file.clone(),
            message: e.to_string(),
        })?;
        return Ok(LoadedModel {
            model,
            file,
            text: String::new(),
            format,
        });
    }
    let text = std::fs::read_to_string(path).map_err(|source| ModelReadError::Io {
        file: file.clone(),
        source,
    })?;
    parse_product_model(&text, format, &file)
}

/// Parses a product model from text; `file` labels the errors.
pub fn parse_product_model(
    text: &str,
    format: ModelFormat,
    file: &str,
) -> Result<LoadedModel, ModelReadError> {
    let model = match format {
        ModelFormat::Toml => toml::from_str::<ProductModel>(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ModelReadError::Syntax {
                file: file.into(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?,
        ModelFormat::Json => {
            serde_json::from_str::<ProductModel>(text).map_err(|e| ModelReadError::Syntax {
                file: file.into(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?
        }
        ModelFormat::Xlsx => {
            return Err(ModelReadError::Format {
                file: file.into(),
                message: "a workbook is binary; read it with read_product_model".into(),
            });
        }
    };
    Ok(LoadedModel {
        model,
        file: file.into(),
        text: text.into(),
        format,
    })
}

impl LoadedModel {
    /// The line of a field in the file, where the format keeps positions (TOML does).
    pub fn line_of(&self, path: &FieldPath) -> Option<usize> {
        if self.format != ModelFormat::Toml {
            return None;
        }
        let doc = DeTable::parse(&self.text).ok()?;
        let mut span = doc.span();
        let mut current: Option<&DeValue<'_>> = None;
        let mut table: Option<&DeTable<'_>> = Some(doc.get_ref());
        for seg in path.segments() {
            match seg {
                PathSegment::Key(k) => {
                    let Some(t) = table else { break };
                    let Some((key, v)) = t
                        .iter()
                        .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                    else {
                        break;
                    };
                    // Point at the key for scalars, at the value for tables and arrays.
                    span = if matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
                        v.span()
                    } else {
                        key.span()
                    };
                    current = Some(v.get_ref());
                }
                PathSegment::Index(i) => {
                    let Some(DeValue::Array(a)) = current else {
                        break;
                    };
                    let Some(v) = a.get(*i) else { break };
                    span = v.span();
                    current = Some(v.get_ref());
                }
            }
            table = match current {
                Some(DeValue::Table(t)) => Some(t),
                _ => None,
            };
        }
        Some(line_col(&self.text, span.start).0)
    }

    /// `file:line: field: problem` — the form every model error is shown in.
    pub fn describe(&self, e: &ModelError) -> String {
        match self.line_of(&e.path) {
            Some(line) => format!("{}:{line}: {}: {}", self.file, e.path, e.message),
            None => format!("{}: {}: {}", self.file, e.path, e.message),
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// Writes a model as TOML (the canonical, human-readable form).
pub fn to_toml(model: &ProductModel) -> Result<String, String> {
    toml::to_string_pretty(model).map_err(|e| e.to_string())
}

/// Writes a model as JSON.
pub fn to_json(model: &ProductModel) -> String {
    serde_json::to_string_pretty(model).unwrap_or_default()
}

/// Path of the file, for messages.
pub fn display_path(p: &Path) -> PathBuf {
    p.to_path_buf()
}
