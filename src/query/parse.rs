//! The query language, read into a syntax tree: words, `"phrases"~slop`,
//! `AND`/`OR`/`NOT`, `+must`/`-not`, parentheses, `field:` scopes, `word*`
//! prefixes, `word~1` typo tolerance and `^2` boosts. Pure: it knows neither
//! Tantivy nor the schema; `build` turns the tree into Tantivy queries.
//!
//! Errors say what is wrong and where (a 1-based column), in one line.
//! Reading is bounded (`budget`): the query's length, the nesting of
//! parentheses (the parser recurses once per level), the number of words
//! and phrases, and of different `word*` and `word~N`.

use std::collections::HashSet;

use crate::query::budget::{
    MAX_CLAUSES, MAX_DEPTH, MAX_EXPANDING_WORDS, check_length, too_many_clauses,
};
use crate::query::shouted::keywords_are_words;

/// A field a query word can be scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `headline:` — a brief's headline.
    Headline,
    /// `point:` — key points.
    Point,
    /// `summary:` — summary bullets.
    Summary,
    /// `body:` — a brief's other lines (articles only).
    Body,
    /// `source:` — the outlet.
    Source,
}

/// The scope names, for messages.
pub const SCOPE_NAMES: &str = "headline, point, summary, body, source";

impl Scope {
    pub(crate) fn from_name(name: &str) -> Option<Scope> {
        match name.to_ascii_lowercase().as_str() {
            "headline" | "title" => Some(Scope::Headline),
            "point" | "points" => Some(Scope::Point),
            "summary" | "summaries" => Some(Scope::Summary),
            "body" => Some(Scope::Body),
            "source" => Some(Scope::Source),
            _ => None,
        }
    }
}

/// Whether a clause must, may or must not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Required.
    Must,
    /// Optional; adds to the score.
    Should,
    /// Excluded.
    MustNot,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Clauses combined by their occurrence.
    Bool(Vec<(Occur, Node)>),
    /// A word.
    Word {
        /// Field scope, or every default field.
        scope: Option<Scope>,
        /// The word as typed.
        text: String,
        /// `word*`: match words starting with `text`.
        prefix: bool,
        /// `word~N`: edit distance allowed.
        fuzzy: Option<u8>,
        /// `^B`: weight factor.
        boost: f32,
    },
    /// A quoted phrase.
    Phrase {
        /// Field scope, or every default field.
        scope: Option<Scope>,
        /// The phrase as typed.
        text: String,
        /// `"…"~N`: words allowed between.
        slop: u32,
        /// `^B`: weight factor.
        boost: f32,
    },
}

/// A query that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based column (in characters) where the problem is.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// True when the query is over a bound of the query budget (its
    /// length, depth or number of words) rather than malformed.
    pub over_budget: bool,
}

impl QueryError {
    /// A malformed query: `message` at 1-based `column`.
    pub(crate) fn at(column: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            column,
            message: message.into(),
            over_budget: false,
        }
    }

    /// A query over a bound of the budget: `message` at 1-based `column`.
    pub(crate) fn over_budget(column: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            over_budget: true,
            ..QueryError::at(column, message)
        }
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (column {})", self.message, self.column)
    }
}

impl std::error::Error for QueryError {}

/// Reads `query`. `all_terms` makes words joined by nothing required (AND);
/// otherwise they are optional (OR) and documents with more of them rank
/// higher. In a query written wholly in capitals, with no other operator,
/// `AND`, `OR` and `NOT` are words (`shouted`).
pub fn parse_query(query: &str, all_terms: bool) -> Result<Node, QueryError> {
    check_length(query)?;
    let mut parser = Parser {
        chars: query.chars().collect(),
        at: 0,
        default: if all_terms {
            Occur::Must
        } else {
            Occur::Should
        },
        depth: 0,
        clauses: 0,
        expanding: HashSet::new(),
        keywords: !keywords_are_words(query),
    };
    parser.skip_space();
    if parser.at == parser.chars.len() {
        return Err(QueryError::at(1, "the query is empty"));
    }
    let node = parser.or_expr()?;
    parser.skip_space();
    if let Some(&c) = parser.chars.get(parser.at) {
        let message = if c == ')' {
            "`)` without a matching `(`".to_string()
        } else {
            format!("unexpected `{c}`")
        };
        return Err(parser.error_here(message));
    }
    if only_exclusions(&node) {
        return Err(QueryError::at(
            1,
            "the query only excludes words; add one to look for",
        ));
    }
    Ok(node)
}

fn only_exclusions(node: &Node) -> bool {
    match node {
        Node::Bool(clauses) => clauses
            .iter()
            .all(|(occur, child)| *occur == Occur::MustNot || only_exclusions(child)),
        _ => false,
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    default: Occur,
    /// Parentheses open around the current position.
    depth: usize,
    /// Words and phrases read so far.
    clauses: usize,
    /// The different `word*` and `word~N` read so far (text, prefix, distance).
    expanding: HashSet<(String, bool, Option<u8>)>,
    /// Whether `AND`, `OR` and `NOT` are operators (not in a shouted query).
    keywords: bool,
}

impl Parser {
    fn error_here(&self, message: impl Into<String>) -> QueryError {
        QueryError::at(self.at + 1, message.into())
    }

    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// True when the next word is `keyword` (upper case, standing alone).
    fn at_keyword(&self, keyword: &str) -> bool {
        if !self.keywords {
            return false;
        }
        let end = self.at + keyword.len();
        let matches = self
            .chars
            .get(self.at..end)
            .is_some_and(|s| s.iter().copied().eq(keyword.chars()));
        matches
            && self
                .chars
                .get(end)
                .is_none_or(|c| c.is_whitespace() || *c == '(' || *c == '"')
    }

    fn or_expr(&mut self) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.and_expr()?];
        loop {
            self.skip_space();
            if !self.at_keyword("OR") {
                break;
            }
            self.at += 2;
            alternatives.push(self.and_expr()?);
        }
        if alternatives.len() == 1 {
            return Ok(alternatives.remove(0));
        }
        Ok(Node::Bool(
            alternatives
                .into_iter()
                .map(|n| (Occur::Should, n))
                .collect(),
        ))
    }

    fn and_expr(&mut self) -> Result<Node, QueryError> {
        let mut clauses: Vec<(Occur, Node)> = Vec::new();
        let mut explicit_and = false;
        loop {
            self.skip_space();
            match self.peek() {
                None | Some(')') => break,
                _ if self.at_keyword("OR") => break,
                _ if self.at_keyword("AND") => {
                    if clauses.is_empty() {
                        return Err(self.error_here("`AND` needs something before it"));
                    }
                    self.at += 3;
                    explicit_and = true;
                    if let Some(last) = clauses.last_mut().filter(|l| l.0 == Occur::Should) {
                        last.0 = Occur::Must;
                    }
                    self.skip_space();
                    if self.peek().is_none() || self.peek() == Some(')') {
                        return Err(self.error_here("`AND` needs something after it"));
                    }
                    continue;
                }
                _ => {}
            }
            let (occur, node) = self.clause()?;
            let occur = match occur {
                Some(o) => o,
                None if explicit_and => Occur::Must,
                None => self.default,
            };
            clauses.push((occur, node));
            explicit_and = false;
        }
        match clauses.len() {
            0 => Err(self.error_here("expected a word here")),
            1 if clauses[0].0 != Occur::MustNot => Ok(clauses.remove(0).1),
            _ => Ok(Node::Bool(clauses)),
        }
    }

    fn clause(&mut self) -> Result<(Option<Occur>, Node), QueryError> {
        let occur = match self.peek() {
            Some('+') => {
                self.at += 1;
                Some(Occur::Must)
            }
            Some('-') => {
                self.at += 1;
                Some(Occur::MustNot)
            }
            _ if self.at_keyword("NOT") => {
                self.at += 3;
                self.skip_space();
                Some(Occur::MustNot)
            }
            _ => None,
        };
        if occur.is_some() && self.peek().is_none_or(char::is_whitespace) {
            return Err(self.error_here("expected a word right after `+`, `-` or `NOT`"));
        }
        Ok((occur, self.primary()?))
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        if self.peek() == Some('(') {
            let open = self.at;
            if self.depth == MAX_DEPTH {
                return Err(QueryError::over_budget(
                    open + 1,
                    format!("parentheses nest deeper than {MAX_DEPTH} levels"),
                ));
            }
            self.at += 1;
            self.depth += 1;
            let inner = self.or_expr()?;
            self.depth -= 1;
            self.skip_space();
            if self.peek() != Some(')') {
                return Err(QueryError::at(open + 1, "`(` is never closed"));
            }
            self.at += 1;
            let boost = self.boost()?;
            return Ok(if boost == 1.0 {
                inner
            } else {
                apply_boost(inner, boost)
            });
        }
        let scope = self.scope()?;
        if let (Some(scope), Some('(')) = (scope, self.peek()) {
            // `point:(tram OR bus)`: the scope applies to every word inside.
            return Ok(apply_scope(self.primary()?, scope));
        }
        if self.peek() == Some('"') {
            return self.phrase(scope);
        }
        self.word(scope)
    }

    /// Reads `name:` when the next word is a known field name.
    fn scope(&mut self) -> Result<Option<Scope>, QueryError> {
        let start = self.at;
        let mut end = start;
        while self.chars.get(end).is_some_and(|c| c.is_ascii_alphabetic()) {
            end += 1;
        }
        if end == start || self.chars.get(end) != Some(&':') {
            return Ok(None);
        }
        let name: String = self.chars[start..end].iter().collect();
        match Scope::from_name(&name) {
            Some(scope) => {
                self.at = end + 1;
                if self.peek().is_none_or(char::is_whitespace) {
                    return Err(self.error_here(format!(
                        "`{name}:` needs a word or \"phrase\" right after it"
                    )));
                }
                Ok(Some(scope))
            }
            None => Err(QueryError::at(
                start + 1,
                format!(
                    "unknown field `{name}:` (fields: {SCOPE_NAMES}); put it in quotes to search for it"
                ),
            )),
        }
    }

    /// Counts one more word or phrase, starting at `start`.
    fn count_clause(&mut self, start: usize) -> Result<(), QueryError> {
        if self.clauses == MAX_CLAUSES {
            return Err(too_many_clauses(start + 1));
        }
        self.clauses += 1;
        Ok(())
    }

    fn phrase(&mut self, scope: Option<Scope>) -> Result<Node, QueryError> {
        let open = self.at;
        self.count_clause(open)?;
        self.at += 1;
        let start = self.at;
        while self.peek().is_some_and(|c| c != '"') {
            self.at += 1;
        }
        if self.peek().is_none() {
            return Err(QueryError::at(
                open + 1,
                "unbalanced quote: this `\"` is never closed",
            ));
        }
        let text: String = self.chars[start..self.at].iter().collect();
        self.at += 1;
        let mut slop = 0;
        if self.peek() == Some('~') {
            self.at += 1;
            slop = self.number()?.unwrap_or(1);
        }
        let boost = self.boost()?;
        if text.trim().is_empty() {
            return Err(QueryError::at(open + 1, "empty phrase"));
        }
        Ok(Node::Phrase {
            scope,
            text,
            slop,
            boost,
        })
    }

    fn word(&mut self, scope: Option<Scope>) -> Result<Node, QueryError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"' | '~' | '^'))
        {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error_here(match self.peek() {
                Some(c) => format!("expected a word, found `{c}`"),
                None => "expected a word at the end".into(),
            }));
        }
        self.count_clause(start)?;
        let mut text: String = self.chars[start..self.at].iter().collect();
        let prefix = text.len() > 1 && text.ends_with('*');
        if prefix {
            text.pop();
        }
        let mut fuzzy = None;
        if self.peek() == Some('~') {
            let column = self.at + 1;
            self.at += 1;
            let distance = self.number()?.unwrap_or(1);
            if distance > 2 {
                return Err(QueryError::at(
                    column,
                    format!("typo tolerance `~{distance}` is too wide; use ~1 or ~2"),
                ));
            }
            fuzzy = Some(distance as u8);
        }
        if (prefix || fuzzy.is_some_and(|d| d > 0))
            && self.expanding.insert((text.clone(), prefix, fuzzy))
            && self.expanding.len() > MAX_EXPANDING_WORDS
        {
            return Err(QueryError::over_budget(
                start + 1,
                format!(
                    "the query has more than {MAX_EXPANDING_WORDS} different `word*` and `word~N`"
                ),
            ));
        }
        let boost = self.boost()?;
        Ok(Node::Word {
            scope,
            text,
            prefix,
            fuzzy,
            boost,
        })
    }

    fn number(&mut self) -> Result<Option<u32>, QueryError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        if start == self.at {
            return Ok(None);
        }
        let text: String = self.chars[start..self.at].iter().collect();
        text.parse()
            .map(Some)
            .map_err(|_| QueryError::at(start + 1, format!("`{text}` is too large")))
    }

    fn boost(&mut self) -> Result<f32, QueryError> {
        if self.peek() != Some('^') {
            return Ok(1.0);
        }
        self.at += 1;
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        // Only digits and dots get here: a number, perhaps too large for any
        // float; clamped, so no score can overflow.
        match text.parse::<f64>() {
            Ok(boost) if boost >= 0.0 => Ok(boost.min(f64::from(MAX_BOOST)) as f32),
            _ => Err(QueryError::at(
                start,
                "`^` needs a number after it, as in `word^2`",
            )),
        }
    }
}

/// Gives every word and phrase without a scope the scope `to`.
fn apply_scope(node: Node, to: Scope) -> Node {
    map_leaves(node, &|scope, _| {
        scope.get_or_insert(to);
    })
}

/// The largest boost a word or phrase can have: a larger `^N`, or nested
/// boosts multiplying past it, count as this much, so scores stay finite.
pub(crate) const MAX_BOOST: f32 = 10_000.0;

/// Multiplies every word's and phrase's boost by `factor`, up to [`MAX_BOOST`].
pub(crate) fn apply_boost(node: Node, factor: f32) -> Node {
    map_leaves(node, &|_, boost| *boost = (*boost * factor).min(MAX_BOOST))
}

/// Applies `change` to the scope and boost of every word and phrase.
fn map_leaves(mut node: Node, change: &impl Fn(&mut Option<Scope>, &mut f32)) -> Node {
    match &mut node {
        Node::Bool(clauses) => {
            let clauses = std::mem::take(clauses);
            return Node::Bool(
                clauses
                    .into_iter()
                    .map(|(o, n)| (o, map_leaves(n, change)))
                    .collect(),
            );
        }
        Node::Word { scope, boost, .. } | Node::Phrase { scope, boost, .. } => change(scope, boost),
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Node {
        Node::Word {
            scope: None,
            text: text.into(),
            prefix: false,
            fuzzy: None,
            boost: 1.0,
        }
    }

    #[test]
    fn words_default_to_or() {
        assert_eq!(
            parse_query("tram riders", false).unwrap(),
            Node::Bool(vec![
                (Occur::Should, word("tram")),
                (Occur::Should, word("riders"))
            ])
        );
        assert_eq!(
            parse_query("tram riders", true).unwrap(),
            Node::Bool(vec![
                (Occur::Must, word("tram")),
                (Occur::Must, word("riders"))
            ])
        );
    }

    #[test]
    fn and_or_not_and_signs() {
        let parsed = parse_query("a AND b OR +c -d NOT e", false).unwrap();
        assert_eq!(
            parsed,
            Node::Bool(vec![
                (
                    Occur::Should,
                    Node::Bool(vec![(Occur::Must, word("a")), (Occur::Must, word("b"))])
                ),
                (
                    Occur::Should,
                    Node::Bool(vec![
                        (Occur::Must, word("c")),
                        (Occur::MustNot, word("d")),
                        (Occur::MustNot, word("e"))
                    ])
                ),
            ])
        );
    }

    #[test]
    fn phrases_with_slop_scopes_prefix_fuzzy_boost() {
        assert_eq!(
            parse_query("headline:\"rate cut\"~2^3", false).unwrap(),
            Node::Phrase {
                scope: Some(Scope::Headline),
                text: "rate cut".into(),
                slop: 2,
                boost: 3.0
            }
        );
        assert_eq!(
            parse_query("point:infla*", false).unwrap(),
            Node::Word {
                scope: Some(Scope::Point),
                text: "infla".into(),
                prefix: true,
                fuzzy: None,
                boost: 1.0
            }
        );
        assert_eq!(
            parse_query("kestral~1^0.5", false).unwrap(),
            Node::Word {
                scope: None,
                text: "kestral".into(),
                prefix: false,
                fuzzy: Some(1),
                boost: 0.5
            }
        );
    }

    #[test]
    fn boosts_are_clamped_however_large_or_nested() {
        let boost_of = |query: &str| match parse_query(query, false).unwrap() {
            Node::Word { boost, .. } => boost,
            other => panic!("{other:?}"),
        };
        assert_eq!(boost_of(&format!("tram^{}", "9".repeat(400))), MAX_BOOST);
        assert_eq!(
            boost_of("tram^340000000000000000000000000000000000000"),
            MAX_BOOST
        );
        assert_eq!(
            boost_of(&format!("{}tram{}", "(".repeat(9), ")^999".repeat(9))),
            MAX_BOOST
        );
        assert_eq!(boost_of("(tram^2)^3"), 6.0);
    }

    #[test]
    fn parentheses_group() {
        let parsed = parse_query("(tram OR bus) +fares", false).unwrap();
        assert_eq!(
            parsed,
            Node::Bool(vec![
                (
                    Occur::Should,
                    Node::Bool(vec![
                        (Occur::Should, word("tram")),
                        (Occur::Should, word("bus"))
                    ])
                ),
                (Occur::Must, word("fares")),
            ])
        );
    }

    #[test]
    fn scope_applies_to_a_group() {
        let scoped = |text: &str| Node::Word {
            scope: Some(Scope::Point),
            text: text.into(),
            prefix: false,
            fuzzy: None,
            boost: 1.0,
        };
        assert_eq!(
            parse_query("point:(tram OR bus)", false).unwrap(),
            Node::Bool(vec![
                (Occur::Should, scoped("tram")),
                (Occur::Should, scoped("bus"))
            ])
        );
    }

    #[test]
    fn numbers_and_tickers_stay_words() {
        assert_eq!(parse_query("11.5%", false).unwrap(), word("11.5%"));
        assert_eq!(parse_query("$1.13bn", false).unwrap(), word("$1.13bn"));
    }

    #[test]
    fn malformed_queries_point_at_the_problem() {
        let cases = [
            ("\"rate cut", 1, "unbalanced quote"),
            ("(tram OR bus", 1, "never closed"),
            ("tram)", 5, "without a matching"),
            ("titel:tram", 1, "unknown field `titel:`"),
            ("tram~3", 5, "too wide"),
            ("-tram", 1, "only excludes"),
            ("AND tram", 1, "needs something before"),
            ("tram AND", 9, "needs something after"),
            ("   ", 1, "empty"),
            ("word^", 5, "needs a number"),
            ("headline: x", 10, "needs a word"),
        ];
        for (query, column, fragment) in cases {
            let err = parse_query(query, false).unwrap_err();
            assert!(err.message.contains(fragment), "{query}: {err}");
            assert_eq!(err.column, column, "{query}: {err}");
        }
    }

    #[test]
    fn lowercase_keywords_are_words() {
        assert_eq!(parse_query("and", false).unwrap(), word("and"));
    }

    #[test]
    fn keywords_of_a_shouted_query_are_words() {
        assert_eq!(
            parse_query("BANK AND THE", false).unwrap(),
            Node::Bool(vec![
                (Occur::Should, word("BANK")),
                (Occur::Should, word("AND")),
                (Occur::Should, word("THE"))
            ])
        );
        // Mixed case: an operator, as before.
        assert_eq!(
            parse_query("bank AND the", false).unwrap(),
            Node::Bool(vec![
                (Occur::Must, word("bank")),
                (Occur::Must, word("the"))
            ])
        );
    }
}
