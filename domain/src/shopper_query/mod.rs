//! What a shopper's words mean, before either search engine sees them.
//!
//! Shoppers wrap what they want in shop talk ("đặc sản", "quà tặng", "fresh"), leave out letters of
//! place names ("phan tiet"), and name a district to mean "from there". The plan made here says which
//! words must match, which only rank, what a misspelt word was meant to be, and which place was named;
//! both engines follow it, so they behave alike.

mod vocabulary;

use std::sync::LazyLock;

pub use vocabulary::{Source, Vocabulary};

use crate::text::{fold, normalize_vi};

/// Past this many words a query adds nothing but cost.
pub const MAX_QUERY_WORDS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// As typed, diacritics folded away.
    pub folded: String,
    /// As typed with its diacritics (one tone placement): exact spellings rank first.
    pub exact: String,
    /// Shop talk: may raise a product that has it, never drops one that lacks it.
    pub generic: bool,
    /// What the catalogue suggests was meant. Matched as well as the word typed, not instead of it.
    pub correction: Option<String>,
    /// The word as meant occurs somewhere in the catalogue; one that does not can match nothing.
    pub known: bool,
}

impl QueryWord {
    /// Typed with diacritics, which then tell words apart ("quà" from "quả").
    pub fn has_marks(&self) -> bool {
        self.exact != self.folded
    }

    /// The form the rest of the query is read with: the correction when there is one.
    pub fn meant(&self) -> &str {
        self.correction.as_deref().unwrap_or(&self.folded)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPlan {
    pub words: Vec<QueryWord>,
    /// A district or commune named in the query (folded), whose products rank first.
    pub place: Option<String>,
    /// The query as the catalogue spells it, when a word was corrected ("phan thiết").
    pub suggestion: Option<String>,
}

impl QueryPlan {
    pub fn required(&self) -> impl Iterator<Item = &QueryWord> {
        self.words.iter().filter(|w| !w.generic)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn has_shop_talk(&self) -> bool {
        self.words.iter().any(|w| w.generic)
    }

    /// Whether falling back to partial matches can find what the whole query did not: it takes
    /// two required words, or one beside shop talk ("quà tặng tết" lists gifts though "tết" is
    /// no product). In the fallback only words the catalogue holds count, and any one will do.
    pub fn has_fallback(&self) -> bool {
        let required = self.required().count();
        required >= 2 || (required >= 1 && self.has_shop_talk())
    }

    /// Adjacent words as meant, joined ("nuocmam"), for ranking words that stand together.
    pub fn pairs(&self) -> Vec<String> {
        // A word read as two ("nuoc mam") meets its neighbour with its near part.
        let last = |w: &QueryWord| w.meant().rsplit(' ').next().unwrap_or_default().to_string();
        let first = |w: &QueryWord| w.meant().split(' ').next().unwrap_or_default().to_string();
        self.words.windows(2).map(|w| format!("{}{}", last(&w[0]), first(&w[1]))).collect()
    }

    /// The query for an engine that takes plain text: words with their diacritics or corrected,
    /// shop talk left out, and in the fallback (`partial`) the words the catalogue does not hold,
    /// which could only match nothing.
    pub fn text(&self, partial: bool) -> String {
        self.required()
            .filter(|w| !partial || w.known)
            .map(|w| w.correction.as_deref().unwrap_or(&w.exact))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Shop talk, one phrase a line (see the file): data, so the list grows without code.
const SHOP_WORDS: &str = include_str!("../../data/shop_words.txt");

struct Phrase {
    folded: Vec<String>,
    exact: Vec<String>,
}

static GENERIC: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut phrases: Vec<Phrase> = SHOP_WORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| Phrase {
            folded: fold(l).split_whitespace().map(str::to_string).collect(),
            exact: normalize_vi(l).split_whitespace().map(str::to_string).collect(),
        })
        .collect();
    // Longest first, so "quà tặng" is taken whole before "quà".
    phrases.sort_by_key(|p| std::cmp::Reverse(p.folded.len()));
    phrases
});

/// Reads a query against the catalogue's vocabulary.
pub fn understand(query: &str, vocabulary: &Vocabulary) -> QueryPlan {
    let folded: Vec<String> = fold(query).split_whitespace().take(MAX_QUERY_WORDS).map(str::to_string).collect();
    let exact: Vec<String> = normalize_vi(query).split_whitespace().take(MAX_QUERY_WORDS).map(str::to_string).collect();
    // Folding can split a word normalising keeps ("½"): then exact forms cannot be lined up.
    let aligned = exact.len() == folded.len();
    let mut words: Vec<QueryWord> = folded
        .iter()
        .enumerate()
        .map(|(i, f)| QueryWord {
            folded: f.clone(),
            exact: if aligned { exact[i].clone() } else { f.clone() },
            generic: false,
            correction: None,
            known: true,
        })
        .collect();
    mark_generic(&mut words);
    if !vocabulary.is_empty() {
        correct_places(&mut words, vocabulary);
        correct_words(&mut words, vocabulary);
    }
    if !vocabulary.is_empty() {
        for w in &mut words {
            w.known = w.meant().split(' ').all(|part| vocabulary.knows(part));
        }
    }
    let place = find_place(&words, vocabulary);
    let suggestion = words.iter().any(|w| w.correction.is_some()).then(|| {
        words
            .iter()
            .map(|w| match &w.correction {
                Some(c) => c.split(' ').map(|part| vocabulary.spelling(part)).collect::<Vec<_>>().join(" "),
                None => w.exact.clone(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    });
    QueryPlan { words, place, suggestion }
}

/// A word typed with diacritics is compared with them ("quà" is shop talk, "quả" is fruit); one
/// typed without is compared folded.
fn mark_generic(words: &mut [QueryWord]) {
    let mut i = 0;
    while i < words.len() {
        let found = GENERIC.iter().find(|p| {
            p.folded.len() <= words.len() - i
                && p.folded
                    .iter()
                    .zip(&p.exact)
                    .zip(&words[i..])
                    .all(|((pf, pe), w)| if w.has_marks() { &w.exact == pe } else { &w.folded == pf })
        });
        match found {
            Some(p) => {
                for w in &mut words[i..i + p.folded.len()] {
                    w.generic = true;
                }
                i += p.folded.len();
            }
            None => i += 1,
        }
    }
}

/// A run of words one letter off a place name, word by word, is that place ("ham tuan bac"), even
/// when each word on its own is a real one ("tuấn").
fn correct_places(words: &mut [QueryWord], vocabulary: &Vocabulary) {
    for place in vocabulary.places() {
        let n = place.len();
        if n < 2 || n > words.len() {
            continue;
        }
        for start in 0..=words.len() - n {
            let window = &words[start..start + n];
            // Words already standing together in the catalogue ("duc linh") are a place of their
            // own, not a slip from a neighbouring one ("Đức Ninh").
            let as_typed = window.windows(2).all(|p| vocabulary.pair_known(&p[0].folded, &p[1].folded));
            if as_typed || window.iter().any(|w| w.correction.is_some()) {
                continue;
            }
            let distances: Vec<usize> =
                window.iter().zip(place).map(|(w, p)| strsim::damerau_levenshtein(&w.folded, p)).collect();
            let off = distances.iter().filter(|d| **d > 0).count();
            // Every word within one edit, at least one off, and the place's longer words carry it:
            // two-letter words alone ("an" for "ân") are too weak a sign.
            let fits = distances.iter().all(|d| *d <= 1)
                && off > 0
                && off < n
                && window.iter().zip(place).all(|(w, p)| w.folded == *p || p.chars().count() >= 3);
            if fits {
                for (w, p) in words[start..start + n].iter_mut().zip(place) {
                    if w.folded != *p {
                        w.correction = Some(p.clone());
                        w.generic = false;
                    }
                }
            }
        }
    }
}

/// A word that is not a product, place or category word is corrected when the correction fits the
/// words around it ("hạt đìu" → "hạt điều"), or when it is long and one slip from a catalogue word.
fn correct_words(words: &mut [QueryWord], vocabulary: &Vocabulary) {
    for i in 0..words.len() {
        let w = &words[i];
        if w.generic || w.correction.is_some() || vocabulary.is_target(&w.folded) {
            continue;
        }
        if !vocabulary.knows(&w.folded)
            && let Some((a, b)) = vocabulary.split(&w.folded)
        {
            words[i].correction = Some(format!("{a} {b}"));
            continue;
        }
        let before = i.checked_sub(1).map(|j| words[j].meant().to_string());
        let after = words.get(i + 1).map(|n| n.meant().to_string());
        let Some((meant, fits)) = vocabulary.correct(&w.folded, before.as_deref(), after.as_deref()) else {
            continue;
        };
        // A short word is one edit from many others, and a word the catalogue lacks may simply be
        // something it does not sell ("mật ong", "chưng"): only the words around it, or a long
        // word's near miss, make a correction likely enough to search for and to offer.
        let long_miss = !vocabulary.knows(&words[i].folded) && words[i].folded.chars().count() >= 6;
        if fits || long_miss {
            words[i].correction = Some(meant);
        }
    }
}

fn find_place(words: &[QueryWord], vocabulary: &Vocabulary) -> Option<String> {
    let meant: Vec<&str> = words.iter().map(QueryWord::meant).collect();
    vocabulary
        .places()
        .iter()
        .filter(|p| meant.windows(p.len()).any(|w| w.iter().zip(p.iter()).all(|(a, b)| *a == b.as_str())))
        .max_by_key(|p| p.len())
        .map(|p| p.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::new();
        for name in [
            "Nước mắm Cá Đen",
            "Kẹo hạt điều thập cẩm",
            "Hạt dầu",
            "Thanh long ruột đỏ",
            "Quả thanh long",
            "Cơ sở Anh Tuấn",
        ] {
            v.add(name, Source::Name);
        }
        for place in ["Phan Thiết", "Hàm Thuận Bắc", "Hàm Thuận Nam", "Tuy Phong", "Đức Linh", "Đức Ninh"]
        {
            v.add(place, Source::Place);
        }
        v.add("Chi tiết: vị ngọt dịu", Source::Other);
        v
    }

    fn required(plan: &QueryPlan) -> Vec<&str> {
        plan.required().map(QueryWord::meant).collect()
    }

    #[test]
    fn shop_talk_is_optional() {
        let v = vocabulary();
        let plan = understand("đặc sản nước mắm làm quà", &v);
        assert_eq!(required(&plan), ["nuoc", "mam"]);
        assert_eq!(plan.words.iter().filter(|w| w.generic).count(), 4);
        assert_eq!(required(&understand("fresh dragon fruit gift", &Vocabulary::new())), ["dragon", "fruit"]);
        assert_eq!(required(&understand("dac san thanh long", &v)), ["thanh", "long"]);
    }

    #[test]
    fn diacritics_tell_shop_talk_from_products() {
        let v = vocabulary();
        // "quà" is a gift, "quả" a fruit: only the first is shop talk.
        assert_eq!(required(&understand("quả thanh long", &v)), ["qua", "thanh", "long"]);
        assert_eq!(required(&understand("quà thanh long", &v)), ["thanh", "long"]);
    }

    #[test]
    fn place_names_missing_letters_are_found() {
        let v = vocabulary();
        let plan = understand("nuoc mam phan tiet", &v);
        assert_eq!(required(&plan), ["nuoc", "mam", "phan", "thiet"]);
        assert_eq!(plan.place.as_deref(), Some("phan thiet"));
        assert_eq!(plan.suggestion.as_deref(), Some("nuoc mam phan thiết"));
        // "tuan" is a real word (a producer's name), but "ham tuan bac" is a place one letter off.
        let plan = understand("ham tuan bac", &v);
        assert_eq!(required(&plan), ["ham", "thuan", "bac"]);
        assert_eq!(plan.place.as_deref(), Some("ham thuan bac"));
    }

    #[test]
    fn misspelt_product_words_follow_their_neighbours() {
        let v = vocabulary();
        let plan = understand("kẹo hạt đìu", &v);
        assert_eq!(required(&plan), ["keo", "hat", "dieu"]);
        assert_eq!(plan.suggestion.as_deref(), Some("kẹo hạt điều"));
        assert_eq!(plan.place, None);
    }

    #[test]
    fn words_typed_without_their_space_are_read_apart() {
        let v = vocabulary();
        let plan = understand("nuocmam ca den", &v);
        assert_eq!(plan.words[0].correction.as_deref(), Some("nuoc mam"));
        assert!(plan.words[0].known);
        assert_eq!(plan.text(false), "nuoc mam ca den");
        assert_eq!(plan.suggestion.as_deref(), Some("nước mắm ca den"));
    }

    #[test]
    fn right_words_are_left_as_typed() {
        let v = vocabulary();
        let plan = understand("Nước mắm Tuy Phong", &v);
        assert!(plan.words.iter().all(|w| w.correction.is_none()));
        assert_eq!(plan.suggestion, None);
        assert_eq!(plan.place.as_deref(), Some("tuy phong"));
        // A place one letter from another is still itself.
        let own = understand("yến sào đức linh", &v);
        assert_eq!((own.suggestion.as_deref(), own.place.as_deref()), (None, Some("duc linh")));
        assert_eq!(plan.words[0].exact, "nước");
        assert!(plan.words[0].has_marks() && !plan.words[2].has_marks());
        assert_eq!(plan.pairs(), ["nuocmam", "mamtuy", "tuyphong"]);
        assert!(understand("   ", &v).is_empty());
    }

    #[test]
    fn what_the_catalogue_does_not_sell_is_not_bent_into_what_it_does() {
        let v = vocabulary();
        for query in ["mật ong", "yến chưng", "cà phê"] {
            let plan = understand(query, &v);
            assert_eq!(plan.suggestion, None, "{query}");
        }
    }

    #[test]
    fn nonsense_stays_nonsense() {
        let v = vocabulary();
        let plan = understand("xyzzy qwerty", &v);
        assert_eq!(required(&plan), ["xyzzy", "qwerty"]);
        assert!(plan.words.iter().all(|w| !w.known));
        assert_eq!(plan.suggestion, None);
    }
}
