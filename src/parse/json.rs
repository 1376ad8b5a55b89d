//! Reading briefs written as JSON: one object (`.json`), an array of objects
//! (`.json`), or one object per line (`.jsonl`, `.ndjson`).
//!
//! Keys: `headline` (or `title`, required), `source`, `date`, `url` (or
//! `link`), `id` (string or number), `points` (strings, a marker split off
//! each, or objects with `text` and an optional `marker`), `summaries`
//! (strings, or objects with `text`), `body` (a string or a list of
//! paragraphs). Other keys are ignored; a known key of the wrong type is an
//! error that names the key.

use serde_json::Value;
use serde_json::value::RawValue;

use super::ParseError;
use super::line::{clean_text, split_headline, split_marker};
use crate::brief::{Brief, Point, Summary};

/// Parses a `.json` file: one brief object, or an array of them (each
/// addressed by the line its object starts on).
pub fn parse_json_document(text: &str, path: &str) -> Vec<Result<Brief, ParseError>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) => {
                let mut lines = LineCounter::new(text);
                items
                    .into_iter()
                    .map(|raw| {
                        let line = lines.line_of(raw.get());
                        parse_json_value(raw.get(), path, line, true)
                    })
                    .collect()
            }
            Err(err) => vec![Err(json_error(&err, 0))],
        };
    }
    vec![parse_json_value(text, path, 1, false)]
}

/// Parses one line of a JSON Lines file; `line` is its 1-based number.
pub fn parse_json_line(text: &str, path: &str, line: usize) -> Result<Brief, ParseError> {
    parse_json_value(text, path, line, true)
}

/// Lines of slices of one text, asked for in order: each count starts
/// where the last one ended, so an array of any length is read in one pass.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// 1-based line on which `inner` (a slice of the text, after the
    /// slices asked for before) starts.
    fn line_of(&mut self, inner: &str) -> usize {
        let offset = (inner.as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len());
        if offset >= self.offset {
            let between = &self.text.as_bytes()[self.offset..offset];
            self.line += memchr::memchr_iter(b'\n', between).count();
        } else {
            let before = &self.text.as_bytes()[..offset];
            self.line = 1 + memchr::memchr_iter(b'\n', before).count();
        }
        self.offset = offset;
        self.line
    }
}

fn json_error(err: &serde_json::Error, line_offset: usize) -> ParseError {
    let line = if err.line() > 0 {
        Some(err.line() + line_offset)
    } else {
        None
    };
    ParseError::new(
        line,
        format!("malformed JSON: {}", strip_position(&err.to_string())),
    )
}

/// serde_json appends " at line L column C"; the line is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

fn parse_json_value(
    text: &str,
    path: &str,
    line: usize,
    addressed: bool,
) -> Result<Brief, ParseError> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&e, line - 1))?;
    let Value::Object(map) = value else {
        return Err(ParseError::new(
            Some(line),
            format!("expected a JSON object, found {}", type_name(&value)),
        ));
    };
    let at = |reason: String| ParseError::new(Some(line), reason);
    let field = |key: &str| map.get(key).filter(|v| !v.is_null());

    let raw_headline = match field("headline").or_else(|| field("title")) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) | None => {
            return Err(at("no headline: `headline` is missing or empty".into()));
        }
        Some(other) => {
            return Err(at(format!(
                "`headline` must be a string, found {}",
                type_name(other)
            )));
        }
    };
    let (headline, split_source) = split_headline(&raw_headline.replace(['\n', '\r'], " "));
    let source = optional_string(field("source"), "source")
        .map_err(at)?
        .map(|s| clean_text(&s));
    let id = match field("id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(at(format!(
                "`id` must be a string or a number, found {}",
                type_name(other)
            )));
        }
    };
    let points = read_points(field("points"), line).map_err(at)?;
    let summaries = read_summaries(field("summaries"), line).map_err(at)?;
    let body = read_body(field("body")).map_err(at)?;
    let default_id = if addressed {
        format!("{path}:{line}")
    } else {
        path.to_string()
    };

    Ok(Brief {
        path: path.to_string(),
        line,
        id: id.unwrap_or(default_id),
        headline,
        source: source.or(split_source),
        date: optional_string(field("date"), "date").map_err(at)?,
        url: optional_string(field("url").or_else(|| field("link")), "url").map_err(at)?,
        points,
        summaries,
        body,
    })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn optional_string(value: Option<&Value>, key: &str) -> Result<Option<String>, String> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!(
            "`{key}` must be a string, found {}",
            type_name(other)
        )),
    }
}

/// The items of a list key: an array, or a lone string taken as one item.
fn list<'v>(value: Option<&'v Value>, key: &str) -> Result<Vec<&'v Value>, String> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.iter().filter(|v| !v.is_null()).collect()),
        Some(other) => Err(format!(
            "`{key}` must be an array, found {}",
            type_name(other)
        )),
    }
}

/// The text of one list item: a string, or an object's `text`.
fn item_text<'v>(item: &'v Value, key: &str, index: usize) -> Result<&'v str, String> {
    match item {
        Value::String(s) => Ok(s),
        Value::Object(o) => match o.get("text") {
            Some(Value::String(s)) => Ok(s),
            _ => Err(format!(
                "`{key}[{index}]` is an object without a `text` string"
            )),
        },
        other => Err(format!(
            "`{key}[{index}]` must be a string, found {}",
            type_name(other)
        )),
    }
}

fn read_points(value: Option<&Value>, line: usize) -> Result<Vec<Point>, String> {
    let mut points = Vec::new();
    for (i, item) in list(value, "points")?.into_iter().enumerate() {
        let raw = item_text(item, "points", i)?;
        let given_marker = item
            .get("marker")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty());
        let point = match (given_marker, split_marker(raw)) {
            (Some(marker), _) => Point {
                marker: marker.to_string(),
                emoji: split_marker(&format!("{marker} x")).and_then(|(_, e, _)| e),
                text: clean_text(raw),
                line,
            },
            (None, Some((marker, emoji, text))) => Point {
                marker,
                emoji,
                text,
                line,
            },
            (None, None) => Point {
                marker: String::new(),
                emoji: None,
                text: clean_text(raw),
                line,
            },
        };
        if !point.text.is_empty() {
            points.push(point);
        }
    }
    Ok(points)
}

fn read_summaries(value: Option<&Value>, line: usize) -> Result<Vec<Summary>, String> {
    let mut summaries = Vec::new();
    for (i, item) in list(value, "summaries")?.into_iter().enumerate() {
        let raw = item_text(item, "summaries", i)?;
        let raw = raw.trim_start();
        let raw = raw.strip_prefix("- ").unwrap_or(raw);
        let text = clean_text(raw);
        if !text.is_empty() {
            summaries.push(Summary { text, line });
        }
    }
    Ok(summaries)
}

fn read_body(value: Option<&Value>) -> Result<Vec<String>, String> {
    let paragraphs: Vec<String> = match value {
        None => Vec::new(),
        Some(Value::String(s)) => s.split("\n\n").map(str::to_string).collect(),
        Some(Value::Array(_)) => list(value, "body")?
            .into_iter()
            .enumerate()
            .map(|(i, item)| item_text(item, "body", i).map(str::to_string))
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "`body` must be a string or an array, found {}",
                type_name(other)
            ));
        }
    };
    Ok(paragraphs
        .iter()
        .map(|p| clean_text(p))
        .filter(|p| !p.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_object_with_every_key() {
        let text = r#"{"id": "lib-1", "headline": "Library extends hours", "source": "Town Crier",
            "date": "2026-11-28", "url": "https://example.org/lib",
            "points": ["📚 The main branch opens on Sundays.", {"marker": "🕘", "text": "Weekday hours run to 9pm."}],
            "summaries": ["Longer hours start next month."], "body": ["First paragraph.", "Second."]}"#;
        let briefs = parse_json_document(text, "lib.json");
        let brief = briefs[0].as_ref().unwrap();
        assert_eq!(brief.id, "lib-1");
        assert_eq!(brief.points[0].marker, "📚");
        assert_eq!(brief.points[0].text, "The main branch opens on Sundays.");
        assert_eq!(brief.points[1].marker, "🕘");
        assert_eq!(brief.points[1].emoji.as_deref(), Some("🕘"));
        assert_eq!(brief.summaries[0].text, "Longer hours start next month.");
        assert_eq!(brief.body.len(), 2);
        assert_eq!(brief.line, 1);
    }

    #[test]
    fn json_without_id_uses_path() {
        let briefs = parse_json_document(r#"{"headline": "Dam opens — Hill News"}"#, "d.json");
        let brief = briefs[0].as_ref().unwrap();
        assert_eq!(brief.id, "d.json");
        assert_eq!(brief.source.as_deref(), Some("Hill News"));
    }

    #[test]
    fn json_body_string_splits_on_blank_lines() {
        let briefs = parse_json_document(r#"{"headline": "H", "body": "One.\n\nTwo."}"#, "b.json");
        assert_eq!(briefs[0].as_ref().unwrap().body, vec!["One.", "Two."]);
    }

    #[test]
    fn json_array_addresses_each_brief_by_line() {
        let text = "[\n  {\"headline\": \"First\"},\n  {\"headline\": \"Second\"}\n]";
        let briefs: Vec<Brief> = parse_json_document(text, "a.json")
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(briefs[0].line, 2);
        assert_eq!(briefs[1].id, "a.json:3");
    }

    #[test]
    fn malformed_json_reports_its_line() {
        let err = parse_json_document("{\n\"headline\": \"x\",\n oops\n}", "m.json")
            .remove(0)
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.reason.starts_with("malformed JSON"), "{}", err.reason);
    }

    #[test]
    fn wrongly_typed_key_is_named() {
        let err = parse_json_line(r#"{"headline": "x", "points": "not a list"}"#, "w.jsonl", 7)
            .unwrap_err();
        assert_eq!(err.line, Some(7));
        assert_eq!(err.reason, "`points` must be an array, found a string");
        let err = parse_json_line(r#"{"headline": 3}"#, "w.jsonl", 1).unwrap_err();
        assert_eq!(err.reason, "`headline` must be a string, found a number");
    }

    #[test]
    fn missing_headline_is_an_error() {
        let err = parse_json_line(r#"{"points": ["📉 x"]}"#, "n.jsonl", 2).unwrap_err();
        assert!(err.reason.starts_with("no headline"));
    }

    #[test]
    fn non_object_is_an_error() {
        let err = parse_json_line("[1, 2]", "n.jsonl", 4).unwrap_err();
        assert_eq!(err.reason, "expected a JSON object, found an array");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_json_line(&deep, "d.jsonl", 1).is_err());
    }

    #[test]
    fn jsonl_line_id_includes_line() {
        let brief = parse_json_line(r#"{"headline": "H"}"#, "w.jsonl", 12).unwrap();
        assert_eq!(brief.id, "w.jsonl:12");
        assert_eq!(brief.line, 12);
    }
}
