//! The Tantivy schema: every field name is spelled here and only here, and
//! [`Fields`] carries the handles so no other module looks fields up by name.
//!
//! Four kinds of document share the schema: an **article** doc per brief, a
//! **bullet** doc per point or summary, and a **file** doc per file read (its
//! size, modification time and problems: the record that lets a re-index
//! skip unchanged files without reading them, committed atomically with the
//! briefs it describes). Bullet docs repeat what is needed to show and rank
//! them (headline as `context`, source, date, path) so a hit needs no second
//! lookup.

use std::hash::Hasher;

use crate::text::{ANALYSED_TOKENIZER, AnalysedTokenizer, news_analyzer};
use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The version of the schema and analysis; an index with another one must be
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 9;

/// Name of the analyser used on all searchable text.
pub const NEWS_TOKENIZER: &str = "briefs_news";

/// Fast field of article and bullet docs: the brief's date as days since
/// 1970-01-01 (absent when undated), read by `--recent` and `--sort date`.
pub const DAY_FIELD: &str = "day";
/// Fast field of article and bullet docs: the document's place in its file
/// (see [`order_key`]); after `file_hash`, what equal scores are ordered by.
pub const ORDER_FIELD: &str = "order";
/// Fast field of article and bullet docs, and the key every segment's
/// documents are sorted by ([`index_settings`]): [`place_key`], the file's
/// hash and the document's place in it in one number.
pub const PLACE_FIELD: &str = "place";
/// Fast field of article and bullet docs: a hash of the file's key
/// ([`file_hash`]), so the documents of one file keep together when equal
/// scores are ordered, without reading paths back.
pub const FILE_HASH_FIELD: &str = "file_hash";
/// Fast field of bullet docs: the key of its text's copies
/// ([`crate::text::copy_key`]).
pub const COPY_KEY_FIELD: &str = "copy_key";
/// The field of a document's file key (absolute path).
pub const FILE_FIELD: &str = "file";
/// Fast field of file docs: the file's key (absolute path).
pub const RECORD_FILE_FIELD: &str = "record_file";
/// Fast field of file docs: modification time in nanoseconds.
pub const MTIME_FIELD: &str = "mtime";
/// Fast field of file docs: size in bytes.
pub const SIZE_FIELD: &str = "size";
/// Fast field of file docs: how many problems the file had.
pub const PROBLEM_COUNT_FIELD: &str = "problem_count";
/// Fast field of article docs: the source, exactly.
pub const SOURCE_EXACT_FIELD: &str = "source_exact";

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct Fields {
    pub id: Field,
    /// [`place_key`]: what a segment's documents are sorted by.
    pub place: Field,
    /// The document's place in its file ([`order_key`]): equal scores are
    /// ordered by `file_hash`, then this.
    pub order: Field,
    /// A hash of the file's key ([`file_hash`]).
    pub file_hash: Field,
    /// A bullet's copy key ([`crate::text::copy_key`]).
    pub copy_key: Field,
    /// An article's number of bullets (points and summaries), indexed: a
    /// brief without bullets is found through its article doc.
    pub bullet_count: Field,
    /// The file's key, on file docs only (read as a fast field).
    pub record_file: Field,
    pub brief_id: Field,
    pub kind: Field,
    pub file: Field,
    pub path: Field,
    pub line: Field,
    pub brief_line: Field,
    pub position: Field,
    pub marker: Field,
    pub emoji: Field,
    /// A bullet's own text (bullet docs), indexed only.
    pub text: Field,
    /// The bullet's brief's headline, indexed only: searchable at a lower
    /// weight.
    pub context: Field,
    /// An article's headline, indexed only.
    pub headline: Field,
    /// A bullet's text as shown (bullet docs), stored only.
    pub shown_text: Field,
    /// The brief's headline as shown (article and bullet docs), stored only.
    pub shown_headline: Field,
    /// An article's points (one value each).
    pub points: Field,
    /// An article's summaries (one value each).
    pub summaries: Field,
    /// An article's body paragraphs.
    pub body: Field,
    pub source: Field,
    pub source_exact: Field,
    pub date: Field,
    pub day: Field,
    pub url: Field,
    /// The whole brief as JSON (article docs), for `show`.
    pub brief_json: Field,
    pub mtime: Field,
    pub size: Field,
    pub problem_count: Field,
    /// The file's problems as JSON (file docs).
    pub problems: Field,
    /// Article and bullet docs written by `briefs watch`: the generation
    /// (commit number) in which the brief, or the bullet's text in its
    /// brief, first came into the index. Indexed, so the bullets new in a
    /// commit are one posting list (what standing queries are run on);
    /// absent (read as 0) on docs `briefs index` writes.
    pub first_seen: Field,
    /// File docs of JSON Lines files: the byte offset read up to (the end
    /// of the last complete line), so an append is read from there; 0 when
    /// the file must be read whole next time.
    pub resume_offset: Field,
    /// File docs of JSON Lines files: the lines read up to `resume_offset`.
    pub resume_lines: Field,
    /// File docs of JSON Lines files: a hash of the file's identity and of
    /// the bytes around what was read, to tell an append from a rewrite.
    pub resume_check: Field,
}

/// A stable 64-bit hash of a document id (FNV-1a), for ordering ties the
/// same way in every index built from the same briefs.
pub fn tie_key(id: &str) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
}

/// A 32-bit hash of a file's key (FNV-1a, folded), the same in every
/// index: with [`order_key`], the order of equal scores.
pub fn file_hash(key: &str) -> u64 {
    let hash = tie_key(key);
    (hash >> 32) ^ (hash & u64::from(u32::MAX))
}

/// A document's place in its file: the brief's first line in the high 32
/// bits, then the document's rank within the brief (0 for the article doc,
/// 1.. for its bullets by line, points before summaries on one line, then
/// position). After [`file_hash`], this keeps each file's documents in order.
pub fn order_key(brief_line: usize, rank: usize) -> u64 {
    let clamp = |n: usize| {
        u64::try_from(n)
            .unwrap_or(u64::MAX)
            .min(u64::from(u32::MAX))
    };
    clamp(brief_line) << 32 | clamp(rank)
}

/// The file's hash ([`file_hash`]) in the high 32 bits, then the brief's
/// line (20 bits) and the document's rank in the brief (12 bits, as in
/// [`order_key`]): sorted by it, a segment's documents run file by file in
/// hash order and, within a file, in file order, so documents with equal
/// scores are already in the order ties are given in (`search/order.rs`)
/// and nothing needs reading to order them. A line past 1,048,575 or a rank
/// past 4,095 is clamped: such documents keep their order among themselves
/// only by `order`, read when ties span segments.
pub fn place_key(file_hash: u64, brief_line: usize, rank: usize) -> u64 {
    let line = u64::try_from(brief_line)
        .unwrap_or(u64::MAX)
        .min((1 << 20) - 1);
    let rank = u64::try_from(rank).unwrap_or(u64::MAX).min((1 << 12) - 1);
    (file_hash & u64::from(u32::MAX)) << 32 | line << 12 | rank
}

/// The settings of a new index: every segment Tantivy writes or merges
/// has its documents sorted by [`PLACE_FIELD`]. Measured at 200,000 briefs
/// against an unsorted index: 25–30% faster searches of every shape (a
/// third fewer page faults: ties need no read, and a file's documents sit
/// together), for a build 77 → 107 s and 390 → 398 MiB of anonymous memory.
pub fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        sort_by_field: Some(tantivy::IndexSortByField {
            field: PLACE_FIELD.to_string(),
            order: tantivy::Order::Asc,
        }),
        ..Default::default()
    }
}

/// [`order_key`] as the `order` fast field stores it: scrambled by a
/// bijection (splitmix64's finaliser), so the stored values look random
/// and Tantivy keeps the column bit-packed, which a search opens in
/// constant time. Unscrambled, the values rise in long straight runs (a
/// file's briefs in order), which Tantivy keeps blockwise-linear, and
/// opening that column reads its whole block table (one entry per 512
/// documents): 33 M instructions a search at 1,000,000 briefs. Read back
/// with [`order_from_stored`].
pub fn stored_order(order: u64) -> u64 {
    let mut x = order;
    x ^= x >> 30;
    x = x.wrapping_mul(MIX_A);
    x ^= x >> 27;
    x = x.wrapping_mul(MIX_B);
    x ^ (x >> 31)
}

/// The [`order_key`] that [`stored_order`] stored as `stored`.
pub fn order_from_stored(stored: u64) -> u64 {
    let mut x = undo_shift_xor(stored, 31);
    x = x.wrapping_mul(MIX_B_INVERSE);
    x = undo_shift_xor(x, 27);
    x = x.wrapping_mul(MIX_A_INVERSE);
    undo_shift_xor(x, 30)
}

/// [`file_hash`] as the `file_hash` fast field stores it: scrambled by a
/// bijection of 32-bit numbers (murmur3's finaliser), for the reason
/// [`stored_order`] gives. Since every segment is sorted by place (schema
/// 8), the plain hashes rise through a segment, Tantivy kept the column
/// blockwise-linear, and a search ordering ties across segments (any index
/// updated since it was built) read its whole block table: 1.47 M of a
/// rare word's 5.47 M instructions at 200,000 briefs. Read back with
/// [`file_hash_from_stored`].
pub fn stored_file_hash(hash: u64) -> u64 {
    let mut x = (hash & u64::from(u32::MAX)) as u32;
    x ^= x >> 16;
    x = x.wrapping_mul(FMIX_A);
    x ^= x >> 13;
    x = x.wrapping_mul(FMIX_B);
    u64::from(x ^ (x >> 16))
}

/// The [`file_hash`] that [`stored_file_hash`] stored as `stored`.
pub fn file_hash_from_stored(stored: u64) -> u64 {
    // Below 2^32 a shift-xor is the same in 64 bits, so the 64-bit undo serves.
    let undo = |x: u32, shift| (undo_shift_xor(u64::from(x), shift) & u64::from(u32::MAX)) as u32;
    let mut x = (stored & u64::from(u32::MAX)) as u32;
    x = undo(x, 16);
    x = x.wrapping_mul(FMIX_B_INVERSE);
    x = undo(x, 13);
    x = x.wrapping_mul(FMIX_A_INVERSE);
    u64::from(undo(x, 16))
}

const FMIX_A: u32 = 0x85eb_ca6b;
const FMIX_B: u32 = 0xc2b2_ae35;
/// The inverses of `FMIX_A` and `FMIX_B` modulo 2^32.
const FMIX_A_INVERSE: u32 = 0xa5cb_9243;
const FMIX_B_INVERSE: u32 = 0x7ed1_b41d;

const MIX_A: u64 = 0xbf58_476d_1ce4_e5b9;
const MIX_B: u64 = 0x94d0_49bb_1331_11eb;
/// The inverses of `MIX_A` and `MIX_B` modulo 2^64.
const MIX_A_INVERSE: u64 = 0x96de_1b17_3f11_9089;
const MIX_B_INVERSE: u64 = 0x3196_42b2_d24d_8ec3;

/// The `x` for which `x ^ (x >> shift)` is `y`.
fn undo_shift_xor(y: u64, shift: u32) -> u64 {
    let mut x = y;
    for _ in 0..64 / shift {
        x = y ^ (x >> shift);
    }
    x
}

/// Builds the schema and its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(NEWS_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    // Searchable text is analysed once per brief (see `text::pre_analysed`) and
    // indexed in that form, so it is not stored; what a hit shows is stored
    // in the `shown_*` fields, and article docs keep the whole brief in
    // `brief_json`. `source` is short and analysed by Tantivy as it is.
    let indexed = TextOptions::default()
        .set_indexing_options(text_indexing.clone().set_tokenizer(ANALYSED_TOKENIZER));
    let source = TextOptions::default()
        .set_indexing_options(text_indexing)
        .set_stored();
    let fields = Fields {
        // Stored only: an article is found by `brief_id`, a bullet by its
        // brief and position, so indexing 2 million unique ids per 200,000
        // briefs would only slow the writer.
        id: b.add_text_field("id", STORED),
        place: b.add_u64_field(PLACE_FIELD, FAST),
        order: b.add_u64_field(ORDER_FIELD, FAST),
        file_hash: b.add_u64_field(FILE_HASH_FIELD, FAST),
        copy_key: b.add_u64_field(COPY_KEY_FIELD, FAST),
        bullet_count: b.add_u64_field("bullet_count", INDEXED),
        brief_id: b.add_text_field("brief_id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        file: b.add_text_field(FILE_FIELD, STRING | STORED),
        record_file: b.add_text_field(RECORD_FILE_FIELD, STRING | FAST),
        path: b.add_text_field("path", STORED),
        line: b.add_u64_field("line", STORED),
        brief_line: b.add_u64_field("brief_line", STORED),
        position: b.add_u64_field("position", STORED),
        marker: b.add_text_field("marker", STORED),
        emoji: b.add_text_field("emoji", STORED),
        text: b.add_text_field("text", indexed.clone()),
        context: b.add_text_field("context", indexed.clone()),
        headline: b.add_text_field("headline", indexed.clone()),
        shown_text: b.add_text_field("shown_text", STORED),
        shown_headline: b.add_text_field("shown_headline", STORED),
        points: b.add_text_field("points", indexed.clone()),
        summaries: b.add_text_field("summaries", indexed.clone()),
        body: b.add_text_field("body", indexed),
        source: b.add_text_field("source", source),
        source_exact: b.add_text_field(SOURCE_EXACT_FIELD, STRING | FAST),
        date: b.add_text_field("date", STORED),
        day: b.add_i64_field(DAY_FIELD, INDEXED | STORED | FAST),
        url: b.add_text_field("url", STORED),
        brief_json: b.add_text_field("brief_json", STORED),
        mtime: b.add_u64_field(MTIME_FIELD, STORED | FAST),
        size: b.add_u64_field(SIZE_FIELD, STORED | FAST),
        problem_count: b.add_u64_field(PROBLEM_COUNT_FIELD, STORED | FAST),
        problems: b.add_text_field("problems", STORED),
        first_seen: b.add_u64_field("first_seen", INDEXED | STORED),
        resume_offset: b.add_u64_field("resume_offset", STORED),
        resume_lines: b.add_u64_field("resume_lines", STORED),
        resume_check: b.add_u64_field("resume_check", STORED),
    };
    (b.build(), fields)
}

/// The field handles of `found` when it is exactly the schema this version
/// builds, else `None`.
pub fn current_fields(found: &Schema) -> Option<Fields> {
    let (expected, fields) = build_schema();
    (*found == expected).then_some(fields)
}

/// Registers the analysers the schema names; needed on every open.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(NEWS_TOKENIZER, news_analyzer());
    index
        .tokenizers()
        .register(ANALYSED_TOKENIZER, AnalysedTokenizer::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_file_hash_reads_back_and_is_not_in_order() {
        let mut x: u64 = 0x9e37_79b9;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            let hash = x >> 32;
            assert_eq!(file_hash_from_stored(stored_file_hash(hash)), hash);
        }
        for edge in [0, 1, u64::from(u32::MAX), file_hash("/briefs/a.txt")] {
            assert_eq!(file_hash_from_stored(stored_file_hash(edge)), edge);
        }
        // Hashes in order are stored out of order, and in 32 bits.
        let stored: Vec<u64> = (1_000..1_100).map(stored_file_hash).collect();
        assert!(stored.windows(2).any(|w| w[0] > w[1]));
        assert!(stored.windows(2).any(|w| w[0] < w[1]));
        assert!(stored.iter().all(|&v| v <= u64::from(u32::MAX)));
    }

    #[test]
    fn stored_order_reads_back_and_is_not_in_order() {
        let mut x: u64 = 0x1234_5678_9abc_def0;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            assert_eq!(order_from_stored(stored_order(x)), x);
        }
        for edge in [
            0,
            1,
            u64::MAX,
            order_key(7, 3),
            order_key(usize::MAX, usize::MAX),
        ] {
            assert_eq!(order_from_stored(stored_order(edge)), edge);
        }
        // Neighbours in a file are far apart once stored.
        let a = stored_order(order_key(10, 1));
        let b = stored_order(order_key(10, 2));
        assert!(a.abs_diff(b) > 1 << 32, "{a:x} {b:x}");
    }

    #[test]
    fn places_sort_by_file_then_line_then_rank() {
        let places = [
            place_key(7, 1, 0),
            place_key(7, 1, 1),
            place_key(7, 1, 12),
            place_key(7, 2, 0),
            place_key(7, (1 << 20) + 5, 9000),
            place_key(8, 0, 0),
        ];
        assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:x?}");
        // The hash keeps its 32 bits; the clamps hold.
        assert_eq!(
            place_key(u64::from(u32::MAX), 0, 0) >> 32,
            u64::from(u32::MAX)
        );
        assert_eq!(
            place_key(7, usize::MAX, usize::MAX),
            place_key(7, 1 << 20, 1 << 12)
        );
    }

    #[test]
    fn schema_matches_itself() {
        let (schema, _) = build_schema();
        assert!(current_fields(&schema).is_some());
    }
}
