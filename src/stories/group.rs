//! `search --group-stories`: a search's hits folded into their stories.
//! The collection the hits come from (within the search's dates) is
//! clustered as `briefs stories` clusters it, with its defaults; each
//! story then stands where its best hit ranked, with its hits beneath it,
//! and a hit of a brief in no story stands alone.

use fnv::FnvHashMap;
use serde::Serialize;

use crate::error::Result;
use crate::search::{Hit, Session};
use crate::stories::describe::{StoryHead, describe};
use crate::stories::{DEFAULT_MIN_SOURCES, PARAMS, read_collection};

/// A story with the hits of one search that belong to it, or one hit of a
/// brief in no story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StoryGroup {
    /// 1-based rank.
    pub(crate) rank: usize,
    /// Its best hit's score.
    pub(crate) score: f32,
    /// The story; null for a hit in no story.
    pub(crate) story: Option<StoryHead>,
    /// Its hits, best first (ranked 1.. within the group).
    pub(crate) hits: Vec<Hit>,
    /// How many more of its hits were not shown.
    pub(crate) more: usize,
}

/// Folds `hits` (best first) into stories of the briefs dated within
/// `since..=until`: at most `per_story` hits shown under each; the groups
/// ranked 1.. after skipping `offset`, at most `limit` of them.
pub(crate) fn group_hits(
    session: &Session,
    hits: Vec<Hit>,
    dates: (Option<i64>, Option<i64>),
    per_story: usize,
    (offset, limit): (usize, usize),
) -> Result<Vec<StoryGroup>> {
    let (mut collection, stored) = read_collection(session, dates.0, dates.1)?;
    let stories = collection.stories(&PARAMS, DEFAULT_MIN_SOURCES);
    let mut story_of: FnvHashMap<usize, usize> = FnvHashMap::default();
    for (s, members) in stories.iter().enumerate() {
        for &i in members {
            story_of.insert(i, s);
        }
    }
    let mut groups: Vec<(Option<usize>, StoryGroup)> = Vec::new();
    let mut slot: FnvHashMap<usize, usize> = FnvHashMap::default();
    for hit in hits {
        let story = collection
            .ids
            .get(&hit.brief_id)
            .and_then(|item| story_of.get(item))
            .copied();
        let at = story.and_then(|s| slot.get(&s).copied());
        let group = match at {
            Some(g) => &mut groups[g].1,
            None => {
                if let Some(s) = story {
                    slot.insert(s, groups.len());
                }
                groups.push((
                    story,
                    StoryGroup {
                        rank: 0,
                        score: hit.score,
                        story: None,
                        hits: Vec::new(),
                        more: 0,
                    },
                ));
                let last = groups.len() - 1;
                &mut groups[last].1
            }
        };
        if group.hits.len() < per_story.max(1) {
            group.hits.push(hit);
        } else {
            group.more += 1;
        }
    }
    let mut shown = Vec::new();
    for (rank, (story, mut group)) in groups.into_iter().skip(offset).take(limit).enumerate() {
        if let (Some(s), Some(weights)) = (story, collection.weights.as_ref()) {
            let mut briefs = Vec::with_capacity(stories[s].len());
            for &i in &stories[s] {
                briefs.push(session.brief_at(stored[i])?);
            }
            group.story = Some(describe(briefs, &mut collection.terms, weights).head);
        }
        group.rank = offset + rank + 1;
        for (j, hit) in group.hits.iter_mut().enumerate() {
            hit.rank = j + 1;
        }
        shown.push(group);
    }
    Ok(shown)
}
