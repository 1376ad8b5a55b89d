//! Batch runs for evaluation: a file of queries, one a line (`qid<TAB>query`
//! or a bare query numbered by its line), run one after another against one
//! searcher. Queries are read as plain words when they do not parse (natural
//! language is full of colons and stray quotes), so one odd query never
//! stops a run of thousands.

use std::path::Path;

use crate::error::{Error, Result};

/// One query of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchQuery {
    /// Its id, as the evaluation's judgments name it.
    pub qid: String,
    /// The query text.
    pub text: String,
}

/// Reads a query file. Blank lines are skipped but still count for numbering.
pub fn read_queries(path: &Path) -> Result<Vec<BatchQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(parse_queries(&text))
}

/// Splits query-file text into queries.
pub fn parse_queries(text: &str) -> Vec<BatchQuery> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| match line.split_once('\t') {
            Some((qid, query)) => BatchQuery {
                qid: qid.trim().to_string(),
                text: query.trim().to_string(),
            },
            None => BatchQuery {
                qid: (i + 1).to_string(),
                text: line.trim().to_string(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_separated_and_bare_queries() {
        let queries = parse_queries("q7\tport strike\n\nferry fares\n");
        assert_eq!(
            queries[0],
            BatchQuery {
                qid: "q7".into(),
                text: "port strike".into()
            }
        );
        assert_eq!(
            queries[1],
            BatchQuery {
                qid: "3".into(),
                text: "ferry fares".into()
            }
        );
    }
}
