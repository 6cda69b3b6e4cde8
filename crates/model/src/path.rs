//! Where in a model a value sits, so an error can name the place.

use std::fmt;

/// One step of a [`FieldPath`]: a table key or an array position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A path from the document root to a field, e.g. `process[2].inputs[0].amount`.
///
/// Readers turn it into a line number where their format keeps positions (TOML does).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<PathSegment>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }
    pub fn key(mut self, k: impl Into<String>) -> Self {
        self.0.push(PathSegment::Key(k.into()));
        self
    }
    pub fn index(mut self, i: usize) -> Self {
        self.0.push(PathSegment::Index(i));
        self
    }
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                PathSegment::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                PathSegment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        if first {
            f.write_str("(document)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_toml_path() {
        let p = FieldPath::root()
            .key("process")
            .index(2)
            .key("inputs")
            .index(0)
            .key("amount");
        assert_eq!(p.to_string(), "process[2].inputs[0].amount");
        assert_eq!(FieldPath::root().to_string(), "(document)");
    }
}
