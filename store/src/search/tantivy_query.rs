//! A shopper's query plan as tantivy queries.

use std::ops::Bound;

use domain::listing::{CatalogQuery, Sort};
use domain::shopper_query::{QueryPlan, QueryWord};
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::tantivy_engine::Fields;

/// How a query is matched this time round: see `TantivyEngine::search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pass {
    /// Also match words one edit away.
    pub typos: bool,
    /// Every required word need not match: the fallback when nothing matches them all.
    pub partial: bool,
}

/// A typo-corrected word counts a little less than the word as typed, so a product holding what
/// was really typed still wins.
const CORRECTION_WEIGHT: f32 = 0.9;
/// Shop talk only ranks, and gently.
const GENERIC_WEIGHT: f32 = 0.3;
/// The place named in the query: enough to put its products first among those that match.
const PLACE_BOOST: f32 = 8.0;
/// Words that name a category ("nước mắm") rank its products above others that merely mention them
/// (a rice cracker fried in fish sauce).
const CATEGORY_BOOST: f32 = 3.0;
/// Categories are a few words long; longer runs of a query cannot be one.
const CATEGORY_WORDS: usize = 4;

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(q, boost)))
}

/// Everything that lets one word match: the word, its correction, its exact spelling, typos.
fn word_query(f: &Fields, word: &QueryWord, last: bool, typos: bool) -> Box<dyn Query> {
    let mut should = Vec::new();
    let forms =
        std::iter::once((word.folded.as_str(), 1.0)).chain(word.correction.as_deref().map(|c| (c, CORRECTION_WEIGHT)));
    // A word run together from two ("nuocmam") is a pair the index holds joined.
    should.push(boosted(term(f.pairs, &word.folded), 3.0));
    should.push(boosted(term(f.other_pairs, &word.folded), 1.0));
    // A correction of two words is matched as its pair (above, and by the engine's plain text).
    for (form, weight) in forms.filter(|(form, _)| !form.contains(' ')) {
        for (field, boost, names) in [(f.name_folded, 3.0, true), (f.other_folded, 1.0, false), (f.english, 2.0, true)]
        {
            should.push(boosted(term(field, form), boost * weight));
            let long_enough = form.chars().count() >= 4;
            // One typo per word, in names (Vietnamese and English), where shoppers misspell; short
            // words would match half the dictionary with one edit, and descriptions are too large
            // a dictionary to walk per word.
            if typos && names && long_enough {
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, form), 1, true);
                should.push(boosted(Box::new(fuzzy), boost * weight * 0.3));
            }
            // The word being typed may be unfinished ("thanh lo").
            if names && last && form.chars().count() >= 2 {
                let prefix = FuzzyTermQuery::new_prefix(Term::from_field_text(field, form), 0, true);
                should.push(boosted(Box::new(prefix), boost * weight * 0.3));
            }
        }
    }
    for (field, boost) in [(f.name_exact, 2.0), (f.other_exact, 0.7)] {
        should.push(boosted(term(field, &word.exact), boost));
    }
    Box::new(BooleanQuery::new(should))
}

/// `ranked`: the results are ordered by relevance, so clauses that only add to the score (pairs,
/// the place, shop talk) are worth their cost; sorted by price or date they would be computed for nothing.
fn text_query(f: &Fields, plan: &QueryPlan, pass: Pass, ranked: bool) -> Option<Box<dyn Query>> {
    if plan.is_empty() {
        return None;
    }
    let last = plan.words.len() - 1;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, word) in plan.words.iter().enumerate() {
        let q = word_query(f, word, i == last, pass.typos);
        if !word.generic {
            // In the fallback any one of them will do, and more of them rank higher; a word the
            // catalogue does not hold is left out, as it could only match by a typo's stretch.
            if !pass.partial {
                required.push((Occur::Must, q));
            } else if word.known {
                required.push((Occur::Should, q));
            }
        } else if ranked {
            clauses.push(boosted(q, GENERIC_WEIGHT));
        }
    }
    let must: Box<dyn Query> = if !required.is_empty() {
        Box::new(BooleanQuery::new(required))
    } else if plan.has_shop_talk() {
        // Only shop talk ("quà tặng"), or in the fallback shop talk beside words the catalogue does
        // not hold: everything is a candidate, ranked by the words it holds.
        Box::new(AllQuery)
    } else {
        Box::new(EmptyQuery)
    };
    clauses.push((Occur::Must, must));
    if ranked {
        // Words that stand together in a name, as typed, outrank the same words scattered: "nuoc mam"
        // puts "Nước mắm Cá Đen" before a fish paste whose English name mentions "mắm".
        for pair in plan.pairs() {
            let q = Box::new(TermQuery::new(Term::from_field_text(f.pairs, &pair), IndexRecordOption::Basic));
            clauses.push(boosted(q, 4.0));
            let q = Box::new(TermQuery::new(Term::from_field_text(f.other_pairs, &pair), IndexRecordOption::Basic));
            clauses.push(boosted(q, 1.5));
        }
        let meant: Vec<&str> = plan.words.iter().map(|w| w.meant()).collect();
        for len in 1..=CATEGORY_WORDS.min(meant.len()) {
            for window in meant.windows(len) {
                let q = Box::new(TermQuery::new(
                    Term::from_field_text(f.category, &window.join(" ")),
                    IndexRecordOption::Basic,
                ));
                clauses.push(boosted(q, CATEGORY_BOOST));
            }
        }
        if let Some(place) = &plan.place {
            let q = Box::new(TermQuery::new(Term::from_field_text(f.place, place), IndexRecordOption::Basic));
            clauses.push(boosted(q, PLACE_BOOST));
        }
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

pub(crate) fn build(f: &Fields, q: &CatalogQuery, plan: &QueryPlan, today: i64, pass: Pass) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let has_text = match text_query(f, plan, pass, q.sort == Sort::Relevance) {
        Some(t) => {
            clauses.push((Occur::Must, t));
            true
        }
        None => false,
    };
    let mut filter = |field: Field, value: &str| {
        let term = Term::from_field_text(field, value);
        clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    };
    if let Some(g) = q.group {
        filter(f.group, g.code());
    }
    if let Some(c) = &q.category {
        filter(f.category, &domain::text::fold(c));
    }
    if let Some(d) = &q.district {
        filter(f.district, &domain::text::fold(d));
    }
    if let Some(k) = q.kind {
        filter(f.kind, k.code());
    }
    if let Some(s) = q.min_stars {
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(Bound::Included(Term::from_field_u64(f.stars, s as u64)), Bound::Unbounded)),
        ));
    }
    if q.valid_only {
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(Bound::Excluded(Term::from_field_i64(f.badge_until, today)), Bound::Unbounded)),
        ));
    }
    if q.min_price.is_some() || q.max_price.is_some() {
        let lo = Term::from_field_i64(f.min_price, q.min_price.unwrap_or(0));
        let hi = q.max_price.map_or(Bound::Unbounded, |p| Bound::Included(Term::from_field_i64(f.min_price, p)));
        clauses.push((Occur::Must, Box::new(RangeQuery::new(Bound::Included(lo), hi))));
    }
    if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    if !has_text {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}
