//! Stage 1: from the paths a user names to the bytes of brief files and the
//! briefs in them. `walk` finds files (with the size and time that tell a
//! changed file from an unchanged one); `file` reads one, handing its bytes
//! to `parse`. Never imports Tantivy or anything of `index/`, `query/`,
//! `search/` or `output/`.

mod file;
mod walk;

pub(crate) use file::{
    MAX_PROBLEMS_PER_FILE, Resume, read_file, read_file_from, read_file_with, resume_check,
};
pub(crate) use walk::{FileEntry, WalkOptions, display_path, path_key, walk};
