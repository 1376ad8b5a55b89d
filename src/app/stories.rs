//! `briefs stories`, and the `--group-stories` branch of `briefs search`:
//! their flags settled, the stories found (`stories/`), paths shown
//! relative to the current folder, and the writers of `output/` called.

use std::io::Write;

use crate::app::config::{Config, date_range, output_palette};
use crate::app::found_status;
use crate::cli::{OutputFormat, StoriesArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::output::{Palette, write_json_lines, write_stories, write_story_groups};
use crate::search::{SearchOptions, Session};
use crate::stories::{StoryOptions, find_stories, group_hits, window_days};

/// Settles `briefs stories`' flags.
fn story_options(args: &StoriesArgs) -> Result<StoryOptions> {
    let query = args.query.join(" ");
    let (since, until) = date_range(args.since.as_deref(), args.until.as_deref())?;
    Ok(StoryOptions {
        query: (!query.trim().is_empty()).then_some(query),
        since,
        until,
        window_days: window_days(&args.window).ok_or_else(|| Error::InvalidWindow {
            text: args.window.clone(),
        })?,
        min_sources: args.min_sources,
        limit: args.limit,
    })
}

/// `briefs stories`: exit 0 with at least one story, else 1.
pub(crate) fn run_stories(
    config: &Config,
    session: &Session,
    args: &StoriesArgs,
    out: &mut impl Write,
) -> Result<ExitStatus> {
    let options = story_options(args)?;
    let mut stories = find_stories(session, &options)?;
    for story in &mut stories {
        for brief in &mut story.briefs {
            brief.path = config.shown_path(&brief.path);
        }
        for bullet in &mut story.bullets {
            bullet.path = config.shown_path(&bullet.path);
        }
    }
    if args.output.json {
        write_json_lines(out, &stories)
    } else {
        write_stories(out, &stories, &output_palette(&args.output))
    }
    .map_err(Error::Output)?;
    Ok(found_status(!stories.is_empty()))
}

/// `briefs search --group-stories`: the search's hits (enough of them to
/// fill the groups asked for) folded into their stories. Returns whether
/// anything was found.
pub(crate) fn run_search_by_story(
    config: &Config,
    session: &Session,
    (options, format, palette): (&SearchOptions, OutputFormat, &Palette),
    per_story: usize,
    out: &mut impl Write,
) -> Result<bool> {
    let mut wide = options.clone();
    wide.offset = 0;
    wide.limit = options
        .offset
        .saturating_add(options.limit)
        .saturating_mul(per_story.max(1) * 4);
    let hits = session.search(&wide)?;
    let mut groups = group_hits(
        session,
        hits,
        (options.since, options.until),
        per_story,
        (options.offset, options.limit),
    )?;
    for group in &mut groups {
        config.show_paths(&mut group.hits);
    }
    match format {
        OutputFormat::Text => write_story_groups(out, &groups, palette),
        _ => write_json_lines(out, &groups),
    }
    .map_err(Error::Output)?;
    Ok(!groups.is_empty())
}
