use super::*;
use crate::search::KindFilter;

fn plan_of(query: &str) -> Result<Option<Plan>> {
    plan(&SearchOptions::new(query), &mut Terms::default())
}

fn q(query: &str) -> String {
    plan_of(query).unwrap().unwrap().q
}

fn refused(query: &str) -> String {
    match plan_of(query) {
        Err(Error::EngineQuery { construct, .. }) => construct,
        other => panic!("{query}: expected a refusal, got {other:?}"),
    }
}

#[test]
fn words_are_analysed_as_briefs_does() {
    let plan = plan_of("Riders of the TRAM").unwrap().unwrap();
    assert_eq!(plan.q, "rider tram");
    assert!(!plan.all_words, "any of the words by default");
    assert_eq!(plan.num_typos, 0);
    assert!(!plan.prefix);
    assert_eq!(plan.fields, [("text_terms", 10), ("headline_terms", 3)]);
    assert_eq!(plan.filters, ["kind:=[point,summary]"]);
}

#[test]
fn all_words_exclusions_and_phrases() {
    let mut options = SearchOptions::new("tram riders");
    options.all_terms = true;
    assert!(
        plan(&options, &mut Terms::default())
            .unwrap()
            .unwrap()
            .all_words
    );
    assert!(plan_of("tram AND riders").unwrap().unwrap().all_words);
    assert_eq!(q("tram -bus NOT cars"), "tram -bus -car");
    assert_eq!(q("\"rate cut\""), "rate cut \"rate cut\"");
    assert_eq!(
        q("+\"rate cut\" +inflation"),
        "rate cut \"rate cut\" inflat"
    );
    assert_eq!(q("tram -\"bus lane\""), "tram -\"bus lane\"");
    assert_eq!(q("tram OR bus"), "tram bus");
    assert_eq!(q("(tram OR bus) fares"), "tram bus fare");
}

#[test]
fn prefix_goes_last_and_typos_apply_to_every_word() {
    let plan = plan_of("infla* prices").unwrap().unwrap();
    assert_eq!(plan.q, "price infla");
    assert!(plan.prefix);
    assert_eq!(plan.prefixes, ["infla"]);
    let plan = plan_of("kestral~1").unwrap().unwrap();
    assert_eq!(plan.num_typos, 1);
    assert_eq!(plan_of("kestral~2 tral~2").unwrap().unwrap().num_typos, 2);
}

#[test]
fn scopes_pick_the_fields_and_kinds() {
    let plan = plan_of("headline:tram").unwrap().unwrap();
    assert_eq!(plan.fields, [("headline_terms", 10)]);
    let plan = plan_of("point:tram").unwrap().unwrap();
    assert_eq!(plan.fields, [("text_terms", 10)]);
    assert_eq!(plan.filters, ["kind:=[point]"]);
    let plan = plan_of("source:gazette").unwrap().unwrap();
    assert_eq!(plan.fields, [("source_terms", 10)]);
    // Bullets have no body: nothing can match, as locally.
    assert!(plan_of("body:tram").unwrap().is_none());
    let mut articles = SearchOptions::new("body:tram");
    articles.kind = KindFilter::Article;
    let plan = super::plan(&articles, &mut Terms::default())
        .unwrap()
        .unwrap();
    assert_eq!(plan.fields, [("body_terms", 10)]);
    assert_eq!(plan.filters, ["kind:=[article]"]);
}

#[test]
fn dates_become_day_filters() {
    let mut options = SearchOptions::new("tram");
    options.since = Some(20_000);
    options.until = Some(20_100);
    let plan = super::plan(&options, &mut Terms::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        plan.filters,
        ["kind:=[point,summary]", "day:>=20000", "day:<=20100"]
    );
}

#[test]
fn stop_words_alone_match_nothing() {
    assert!(plan_of("the of").unwrap().is_none());
}

#[test]
fn what_typesense_cannot_say_is_refused_by_name() {
    assert!(refused("+tram riders").contains("required words"));
    assert_eq!(refused("tram^2 riders"), "tram^2");
    assert_eq!(refused("\"sold warning\"~3"), "\"sold warning\"~3");
    assert_eq!(refused("kestrel~1 trial"), "`kestrel~1` beside `trial`");
    assert_eq!(refused("infla* pric*"), "pric*");
    assert!(refused("headline:tram riders").contains("`headline:`"));
    assert!(refused("tram AND (fares OR tickets)").contains("group"));
    assert_eq!(refused("\"rate cut\" inflation"), "\"rate cut\"");
    assert!(refused("tram -bus*").contains("bus"));
}

#[test]
fn literal_queries_are_plain_words() {
    let mut options = SearchOptions::new("Tram: riders (+50%) #CityLife");
    options.literal = true;
    let plan = super::plan(&options, &mut Terms::default())
        .unwrap()
        .unwrap();
    assert!(plan.q.starts_with("tram rider"), "{}", plan.q);
}
