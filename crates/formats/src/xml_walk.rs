//! A streaming XML element walker shared by the EcoSpold and ILCD importers.
//!
//! It turns quick-xml's pull events into open/close element events with the element's
//! attributes and text, keeps the stack of open elements, resolves entities, and stops
//! abusive input (nesting deeper than 64, text past 64 KiB is cut). It knows nothing of
//! any format: each importer wraps it and turns an [`XmlError`] into its own error type.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::BufRead;

/// An element event with what the readers need.
pub(crate) enum Node {
    Open {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Close {
        name: String,
        text: String,
    },
    Eof,
}

/// Malformed XML, with where it was found.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub file: String,
    pub position: u64,
    pub message: String,
}

/// LCA formats nest about 8 levels deep; this only stops abusive input.
const MAX_DEPTH: usize = 64;
/// Free-text fields are cut here; no value an importer reads is anywhere near it.
const MAX_TEXT: usize = 64 * 1024;

pub(crate) struct XmlWalker<'r> {
    reader: Reader<&'r mut dyn BufRead>,
    buf: Vec<u8>,
    pub file: String,
    /// Local names of the open elements, outermost first.
    pub stack: Vec<String>,
    text: String,
    pending_close: Option<String>,
}

impl<'r> XmlWalker<'r> {
    pub(crate) fn new(file: &str, input: &'r mut dyn BufRead) -> XmlWalker<'r> {
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        XmlWalker {
            reader,
            buf: Vec::with_capacity(4096),
            file: file.to_string(),
            stack: Vec::new(),
            text: String::new(),
            pending_close: None,
        }
    }

    /// Byte position of the reader, for messages.
    pub(crate) fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// The element enclosing the innermost open one.
    pub(crate) fn parent(&self) -> Option<&str> {
        self.ancestor(2)
    }

    /// The open element `up` levels from the innermost: after an `Open`, 1 is the element
    /// itself and 2 its parent; after a `Close`, 1 is the parent of the closed element.
    pub(crate) fn ancestor(&self, up: usize) -> Option<&str> {
        self.stack
            .len()
            .checked_sub(up)
            .and_then(|i| self.stack.get(i))
            .map(String::as_str)
    }

    pub(crate) fn inside(&self, name: &str) -> bool {
        self.stack.iter().any(|s| s == name)
    }

    fn error(&self, message: String) -> XmlError {
        XmlError {
            file: self.file.clone(),
            position: self.reader.error_position(),
            message,
        }
    }

    /// The next element event; text between an element's start and end is collected.
    pub(crate) fn next(&mut self) -> Result<Node, XmlError> {
        if let Some(name) = self.pending_close.take() {
            return Ok(self.close(name));
        }
        loop {
            self.buf.clear();
            let ev = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.error(e.to_string())),
            };
            match ev {
                Event::Start(_) | Event::Empty(_) if self.stack.len() >= MAX_DEPTH => {
                    return Err(
                        self.error(format!("elements nested deeper than {MAX_DEPTH} levels"))
                    );
                }
                Event::Start(_) | Event::Empty(_) => {
                    let (e, empty) = match ev {
                        Event::Start(e) => (e, false),
                        Event::Empty(e) => (e, true),
                        _ => continue,
                    };
                    let name = e.local_name().as_ref().to_string();
                    let mut attrs = Vec::new();
                    for a in e.attributes() {
                        let a = match a {
                            Ok(a) => a,
                            Err(err) => return Err(self.error(err.to_string())),
                        };
                        let value = match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                            Ok(v) => v.into_owned(),
                            Err(err) => return Err(self.error(err.to_string())),
                        };
                        attrs.push((a.key.local_name().as_ref().to_string(), value));
                    }
                    self.stack.push(name.clone());
                    self.text.clear();
                    if empty {
                        self.pending_close = Some(name.clone());
                    }
                    return Ok(Node::Open { name, attrs });
                }
                Event::End(e) => {
                    let name = e.local_name().as_ref().to_string();
                    return Ok(self.close(name));
                }
                Event::Text(t) => push_text(&mut self.text, &t.xml10_content()),
                Event::CData(t) => push_text(&mut self.text, &t.xml10_content()),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let raw = r.xml10_content();
                            match quick_xml::escape::resolve_predefined_entity(&raw) {
                                Some(s) => s.to_string(),
                                None => {
                                    // Built before `self.error` borrows self: `raw` borrows the buffer.
                                    let message = format!("unknown entity '&{raw};'");
                                    return Err(self.error(message));
                                }
                            }
                        }
                        Err(e) => return Err(self.error(e.to_string())),
                    };
                    push_text(&mut self.text, &resolved);
                }
                Event::Eof => {
                    if let Some(open) = self.stack.last() {
                        return Err(self.error(format!("the file ends inside <{open}>")));
                    }
                    return Ok(Node::Eof);
                }
                _ => {}
            }
        }
    }

    fn close(&mut self, name: String) -> Node {
        self.stack.pop();
        let text = std::mem::take(&mut self.text).trim().to_string();
        Node::Close { name, text }
    }
}

fn push_text(text: &mut String, s: &str) {
    if text.len() < MAX_TEXT {
        text.push_str(s);
    }
}

/// The attribute's value, if present.
pub(crate) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}
