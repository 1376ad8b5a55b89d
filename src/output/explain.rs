//! `--explain` in text: one line under a hit adding up its relevance
//! (each word, phrase or expansion in each field: its BM25, then any field
//! weight, `^N` boost and fuzzy factor it was multiplied by), and with
//! `--recent` one more multiplying it by the recency factor. Terms come
//! from the index and are written through [`escaped`]; the lines are dim
//! when colour is on.

use std::io::{self, Write};

use crate::output::{Palette, escaped};
use crate::search::{Explain, Hit, RecencyPart, ScorePart};

/// Writes the explanation of `hit`'s score, if it has one, at `indent`.
pub(crate) fn write_explain(
    out: &mut impl Write,
    hit: &Hit,
    p: &Palette,
    indent: &str,
) -> io::Result<()> {
    let Some(explain) = &hit.explain else {
        return Ok(());
    };
    writeln!(
        out,
        "{indent}{}{}{}",
        p.dim,
        relevance_line(explain),
        p.reset
    )?;
    if let Some(recency) = &explain.recency {
        writeln!(
            out,
            "{indent}{}{}{}",
            p.dim,
            recency_line(explain, recency),
            p.reset
        )?;
    }
    Ok(())
}

/// `relevance 5.874 = text:tram 2.801 + context:tram 2.513 ×0.3 weight`.
fn relevance_line(explain: &Explain) -> String {
    let parts: Vec<String> = explain.parts.iter().map(part).collect();
    let sum = if parts.is_empty() {
        "no scoring part".to_string()
    } else {
        parts.join(" + ")
    };
    format!("relevance {:.3} = {sum}", explain.relevance)
}

fn part(part: &ScorePart) -> String {
    let term = if part.term.contains(' ') {
        format!("\"{}\"", escaped(&part.term))
    } else {
        escaped(&part.term).into_owned()
    };
    let mut shown = format!("{}:{term} {:.3}", part.field, part.bm25);
    if part.matched == "prefix" {
        shown.push_str(" (prefix)");
    }
    if part.weight != 1.0 {
        shown.push_str(&format!(" ×{} weight", part.weight));
    }
    if (part.boost - 1.0).abs() > 1e-4 {
        shown.push_str(&format!(" ×{:.3} boost", part.boost));
    }
    if part.factor != 1.0 {
        shown.push_str(&format!(" ×{:.3} fuzzy", part.factor));
    }
    shown
}

/// `score 4.41 = relevance 5.874 × recency 0.750 (7 days old on 2026-11-28; half-life 7d, weight 0.5)`.
fn recency_line(explain: &Explain, recency: &RecencyPart) -> String {
    let age = match recency.age_days {
        Some(1) => format!("1 day old on {}", recency.now),
        Some(days) => format!("{days} days old on {}", recency.now),
        None => "undated: 1 − weight".to_string(),
    };
    format!(
        "score {:.3} = relevance {:.3} × recency {:.3} ({age}; half-life {}d, weight {})",
        explain.score, explain.relevance, recency.factor, recency.half_life_days, recency.weight
    )
}
