//! Turning a brief into Tantivy documents: one article doc, one doc per
//! bullet, and the file doc that records what was read from a file. Field
//! handles come from `schema`; nothing here touches the disk.
//!
//! Searchable text is analysed here, once, by [`Analysis`]; Tantivy only
//! reads the tokens back (see `text::pre_analysed`).

use tantivy::TantivyDocument;

use crate::brief::{Brief, DocKind, Problem};
use crate::index::schema::{
    Fields, file_hash, order_key, place_key, stored_file_hash, stored_order,
};
use crate::parse::parse_day;
use crate::read::{FileEntry, Resume};
use crate::text::{Analysis, copy_key};

/// The documents of one brief: its article doc first, then its bullets.
pub fn brief_documents(
    fields: &Fields,
    analysis: &mut Analysis,
    brief: &Brief,
    key: &str,
) -> Vec<TantivyDocument> {
    let day = brief.date.as_deref().and_then(parse_day);
    let headline = analysis.encode(&brief.headline);
    let bullets = brief.bullets();
    let bullet_tokens: Vec<String> = bullets.iter().map(|b| analysis.encode(b.text)).collect();

    let mut article = TantivyDocument::default();
    add_common(&mut article, fields, brief, key, DocKind::Article, day);
    article.add_text(fields.id, &brief.id);
    article.add_u64(fields.order, stored_order(order_key(brief.line, 0)));
    article.add_u64(fields.place, place_key(file_hash(key), brief.line, 0));
    article.add_u64(fields.bullet_count, bullets.len() as u64);
    if let Some(source) = &brief.source {
        article.add_text(fields.source_exact, source);
    }
    article.add_u64(fields.line, brief.line as u64);
    article.add_text(fields.headline, &headline);
    for (bullet, tokens) in bullets.iter().zip(&bullet_tokens) {
        let field = match bullet.kind {
            DocKind::Point => fields.points,
            _ => fields.summaries,
        };
        article.add_text(field, tokens);
    }
    for paragraph in &brief.body {
        article.add_text(fields.body, analysis.encode(paragraph));
    }
    if let Some(url) = &brief.url {
        article.add_text(fields.url, url);
    }
    // Invariant: a brief is strings, numbers and lists of them, which always
    // serialise.
    let json = serde_json::to_string(brief).expect("a brief serialises");
    article.add_text(fields.brief_json, json);

    // Each bullet's rank in its brief: by line, then points before
    // summaries, then position (the bullets of a JSON brief share a line).
    let mut by_line: Vec<usize> = (0..bullets.len()).collect();
    by_line.sort_by_key(|&i| {
        let b = &bullets[i];
        (b.line, b.kind == DocKind::Summary, b.position)
    });
    let mut rank = vec![0; bullets.len()];
    for (r, i) in by_line.into_iter().enumerate() {
        rank[i] = r + 1;
    }

    let mut docs = vec![article];
    for ((bullet, tokens), rank) in bullets.into_iter().zip(bullet_tokens).zip(rank) {
        let mut doc = TantivyDocument::default();
        add_common(&mut doc, fields, brief, key, bullet.kind, day);
        doc.add_text(fields.id, &bullet.id);
        doc.add_u64(fields.order, stored_order(order_key(brief.line, rank)));
        doc.add_u64(fields.place, place_key(file_hash(key), brief.line, rank));
        doc.add_u64(fields.line, bullet.line as u64);
        doc.add_u64(fields.position, bullet.position as u64);
        doc.add_text(fields.text, tokens);
        doc.add_text(fields.shown_text, bullet.text);
        doc.add_u64(fields.copy_key, copy_key(bullet.text));
        doc.add_text(fields.context, &headline);
        if !bullet.marker.is_empty() {
            doc.add_text(fields.marker, bullet.marker);
        }
        if let Some(emoji) = bullet.emoji {
            doc.add_text(fields.emoji, emoji);
        }
        docs.push(doc);
    }
    docs
}

/// Fields every article and bullet doc carries.
fn add_common(
    doc: &mut TantivyDocument,
    fields: &Fields,
    brief: &Brief,
    key: &str,
    kind: DocKind,
    day: Option<i64>,
) {
    doc.add_text(fields.kind, kind.as_str());
    doc.add_text(fields.shown_headline, &brief.headline);
    doc.add_text(fields.brief_id, &brief.id);
    doc.add_text(fields.file, key);
    doc.add_u64(fields.file_hash, stored_file_hash(file_hash(key)));
    doc.add_u64(fields.brief_line, brief.line as u64);
    if let Some(source) = &brief.source {
        doc.add_text(fields.source, source);
    }
    if let Some(date) = &brief.date {
        doc.add_text(fields.date, date);
    }
    if let Some(day) = day {
        doc.add_i64(fields.day, day);
    }
}

/// The record of one file: its key, size, modification time and problems,
/// so an unchanged file is neither read nor forgotten on the next run.
pub fn file_document(fields: &Fields, entry: &FileEntry, problems: &[Problem]) -> TantivyDocument {
    resumable_file_document(fields, entry, problems, None)
}

/// [`file_document`], and for a JSON Lines file read to the end of a line,
/// where an append is to be read from.
pub fn resumable_file_document(
    fields: &Fields,
    entry: &FileEntry,
    problems: &[Problem],
    resume: Option<Resume>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    if let Some(resume) = resume {
        doc.add_u64(fields.resume_offset, resume.offset);
        doc.add_u64(fields.resume_lines, resume.lines);
        doc.add_u64(fields.resume_check, resume.check);
    }
    doc.add_text(fields.kind, DocKind::File.as_str());
    doc.add_text(fields.id, format!("file:{}", entry.key));
    doc.add_text(fields.file, &entry.key);
    doc.add_text(fields.record_file, &entry.key);
    doc.add_text(fields.path, entry.display());
    doc.add_u64(fields.mtime, entry.mtime_ns);
    doc.add_u64(fields.size, entry.size);
    doc.add_u64(fields.problem_count, problems.len() as u64);
    if !problems.is_empty() {
        // Invariant: problems are strings and numbers, which always serialise.
        let json = serde_json::to_string(problems).expect("problems serialise");
        doc.add_text(fields.problems, json);
    }
    doc
}
