//! briefs' query language as a Typesense search, as far as Typesense can
//! say it, and one clear error for what it cannot.
//!
//! Typesense's `q` is a list of words, each looked for in the same fields
//! (`query_by`), where `-word` and `-"phrase"` exclude, a `"phrase"` must
//! match, `prefix` makes the last word a prefix, `num_typos` allows typos
//! in every word, and `drop_tokens_threshold` decides whether words may be
//! left out (dropped from the end, then from the start) when too few
//! documents have them all. So it can say: any of the words, all of them,
//! excluded words and phrases, one scope for the whole query, one `word*`,
//! and `word~N` when every word has the same N. It cannot say: required
//! words beside optional ones, groups that mix AND and OR, different scopes
//! in one query, `"phrase"~N`, an optional phrase beside other words, more
//! than one prefix, typos on some words only, or `^N` weights.
//!
//! Every word goes through briefs' own analysis first (`engine::terms`),
//! since the collection holds briefs' analysed terms.

use crate::brief::DocKind;
use crate::engine::terms::Terms;
use crate::error::{Error, Result};
use crate::query::Scope as S;
use crate::query::{Node, Occur, Scope, literal_query, parse_query, tidy};
use crate::search::SearchOptions;

/// A search, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// `q`.
    pub(crate) q: String,
    /// `query_by`, with the weight of each field.
    pub(crate) fields: Weighted,
    /// `filter_by` clauses, joined by `&&`.
    pub(crate) filters: Vec<String>,
    /// The last word is a prefix.
    pub(crate) prefix: bool,
    /// Typos allowed in every word.
    pub(crate) num_typos: u8,
    /// Every word required (no dropping of words).
    pub(crate) all_words: bool,
    /// The prefixes, for highlights.
    pub(crate) prefixes: Vec<String>,
}

/// Fields to search, each with its weight.
type Weighted = Vec<(&'static str, u8)>;

/// One word or phrase of a query with what decides it.
#[derive(Debug, Clone)]
struct Leaf<'a> {
    occur: Occur,
    node: &'a Node,
}

/// The plan for `options`; `None` when the query can match nothing (only
/// stop words, or a scope the kinds asked for do not have), as locally.
pub(crate) fn plan(options: &SearchOptions, terms: &mut Terms) -> Result<Option<Plan>> {
    let node = if options.literal {
        literal_query(&tidy(&options.query, options.tidy), options.all_terms)
    } else {
        parse_query(&options.query, options.all_terms)
    }
    .map_err(|source| Error::Query { source })?;
    let mut leaves = Vec::new();
    flatten(&node, Occur::Should, true, &mut leaves)?;
    let includes: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| l.occur != Occur::MustNot)
        .collect();
    let required = includes.iter().filter(|l| l.occur == Occur::Must).count();
    if required > 0 && required < includes.len() {
        return Err(unsupported(
            "required words beside optional ones (`+word`, `AND`)",
            "Typesense makes every word required or every word optional; use --all, or drop the `+`",
        ));
    }
    let all_words = includes.len() <= 1 || required == includes.len();
    let scope = one_scope(&leaves)?;

    let mut words: Vec<String> = Vec::new();
    let mut excluded: Vec<String> = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut typos: Option<Option<u8>> = None;
    let mut first_word = String::new();
    for leaf in &leaves {
        match leaf.node {
            Node::Word {
                text,
                prefix,
                fuzzy,
                boost,
                ..
            } => {
                check_boost(*boost, text)?;
                if leaf.occur == Occur::MustNot {
                    if *prefix || fuzzy.is_some() {
                        return Err(unsupported(
                            &format!("-{text}* or -{text}~N"),
                            "Typesense excludes whole words only",
                        ));
                    }
                    excluded.extend(terms.of_query(text).into_iter().map(|t| format!("-{t}")));
                    continue;
                }
                let written = format!("{text}{}", fuzzy.map_or(String::new(), |n| format!("~{n}")));
                match typos {
                    None => {
                        typos = Some(*fuzzy);
                        first_word = written;
                    }
                    Some(seen) if seen != *fuzzy => {
                        return Err(unsupported(
                            &format!("`{first_word}` beside `{written}`"),
                            "Typesense's num_typos applies to every word of a query: write the same ~N on every word, or on none",
                        ));
                    }
                    Some(_) => {}
                }
                if *prefix {
                    if !prefixes.is_empty() {
                        return Err(unsupported(
                            &format!("{text}*"),
                            "Typesense takes one prefix a query (its last word)",
                        ));
                    }
                    prefixes = terms.of_prefix(text);
                    if prefixes.len() > 1 {
                        return Err(unsupported(
                            &format!("{text}*"),
                            "a prefix must be one word",
                        ));
                    }
                } else {
                    words.extend(terms.of_query(text));
                }
            }
            Node::Phrase {
                text, slop, boost, ..
            } => {
                check_boost(*boost, text)?;
                if *slop > 0 {
                    return Err(unsupported(
                        &format!("\"{text}\"~{slop}"),
                        "Typesense phrases are exact; drop the ~N",
                    ));
                }
                let phrase = terms.of_query(text);
                if phrase.is_empty() {
                    continue;
                }
                let quoted = format!("\"{}\"", phrase.join(" "));
                if leaf.occur == Occur::MustNot {
                    excluded.push(format!("-{quoted}"));
                } else if !all_words {
                    return Err(unsupported(
                        &format!("\"{text}\""),
                        "Typesense requires every phrase, where briefs ranks an optional phrase among optional words; use --all or +\"…\"",
                    ));
                } else {
                    // The words rank the match (a phrase alone only
                    // filters); the phrase requires them in order.
                    words.extend(phrase);
                    words.push(quoted);
                }
            }
            // `flatten` leaves no groups.
            Node::Bool(_) => {}
        }
    }
    words.extend(prefixes.iter().cloned());
    if words.is_empty() {
        return Ok(None);
    }
    let Some((fields, kinds)) = fields_for(scope, options.kind.kinds()) else {
        return Ok(None);
    };
    let mut filters = vec![kind_filter(&kinds)];
    if let Some(since) = options.since {
        filters.push(format!("day:>={since}"));
    }
    if let Some(until) = options.until {
        filters.push(format!("day:<={until}"));
    }
    words.extend(excluded);
    Ok(Some(Plan {
        q: words.join(" "),
        fields,
        filters,
        prefix: !prefixes.is_empty(),
        num_typos: typos.flatten().unwrap_or(0).min(2),
        all_words,
        prefixes,
    }))
}

fn unsupported(construct: &str, reason: &str) -> Error {
    Error::EngineQuery {
        construct: construct.to_string(),
        reason: reason.to_string(),
    }
}

fn check_boost(boost: f32, text: &str) -> Result<()> {
    if boost == 1.0 {
        return Ok(());
    }
    Err(unsupported(
        &format!("{text}^{boost}"),
        "Typesense's ranking has no per-word weight; drop the ^N",
    ))
}

/// The query's words and phrases with how each occurs. Groups are opened
/// where that changes nothing: OR within OR, AND within AND, NOT of ORs.
fn flatten<'a>(node: &'a Node, occur: Occur, top: bool, out: &mut Vec<Leaf<'a>>) -> Result<()> {
    let Node::Bool(clauses) = node else {
        out.push(Leaf { occur, node });
        return Ok(());
    };
    let all = |wanted: Occur| clauses.iter().all(|(o, _)| *o == wanted);
    for (inner, child) in clauses {
        let effective = match occur {
            _ if top => *inner,
            Occur::Should if all(Occur::Should) => Occur::Should,
            Occur::Must if all(Occur::Must) => Occur::Must,
            Occur::MustNot if all(Occur::Should) => Occur::MustNot,
            _ => {
                return Err(unsupported(
                    "a group ( … ) that mixes AND, OR and NOT",
                    "Typesense reads a query as one list of words; write the words without the group",
                ));
            }
        };
        flatten(child, effective, false, out)?;
    }
    Ok(())
}

/// The one scope every word and phrase of the query has.
fn one_scope(leaves: &[Leaf]) -> Result<Option<Scope>> {
    let scope_of = |leaf: &Leaf| match leaf.node {
        Node::Word { scope, .. } | Node::Phrase { scope, .. } => *scope,
        Node::Bool(_) => None,
    };
    let first = leaves.first().and_then(scope_of);
    if let Some(other) = leaves.iter().map(scope_of).find(|s| *s != first) {
        let name = |s: Option<Scope>| match s {
            None => "no scope".to_string(),
            Some(s) => format!("`{}:`", scope_name(s)),
        };
        return Err(unsupported(
            &format!("{} beside {}", name(first), name(other)),
            "Typesense looks for every word of a query in the same fields; search one scope at a time",
        ));
    }
    Ok(first)
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        S::Headline => "headline",
        S::Point => "point",
        S::Summary => "summary",
        S::Body => "body",
        S::Source => "source",
    }
}

/// The fields to search (with their weights, after briefs' table: a
/// bullet's headline at 0.3 of its text) and the kinds left, for `scope`
/// and the kinds asked for; `None` when no field is left.
fn fields_for(scope: Option<Scope>, kinds: &[DocKind]) -> Option<(Weighted, Vec<DocKind>)> {
    let bullets = kinds.iter().any(|k| *k != DocKind::Article);
    let articles = kinds.contains(&DocKind::Article);
    let mut fields = Vec::new();
    let mut kept: Vec<DocKind> = kinds.to_vec();
    match scope {
        None => {
            if bullets {
                fields.push(("text_terms", 10));
            }
            fields.push(("headline_terms", if bullets { 3 } else { 10 }));
            if articles {
                fields.extend([
                    ("points_terms", 10),
                    ("summaries_terms", 10),
                    ("body_terms", 10),
                ]);
            }
        }
        Some(S::Headline) => fields.push(("headline_terms", 10)),
        Some(S::Source) => fields.push(("source_terms", 10)),
        Some(S::Body) => {
            kept.retain(|k| *k == DocKind::Article);
            if articles {
                fields.push(("body_terms", 10));
            }
        }
        Some(scope @ (S::Point | S::Summary)) => {
            let (kind, field) = if scope == S::Point {
                (DocKind::Point, "points_terms")
            } else {
                (DocKind::Summary, "summaries_terms")
            };
            kept.retain(|k| *k == kind || *k == DocKind::Article);
            if kept.contains(&kind) {
                fields.push(("text_terms", 10));
            }
            if articles {
                fields.push((field, 10));
            }
        }
    }
    (!fields.is_empty() && !kept.is_empty()).then_some((fields, kept))
}

fn kind_filter(kinds: &[DocKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    format!("kind:=[{}]", names.join(","))
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
