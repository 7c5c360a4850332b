//! The words the catalogue holds, which decide what a misspelt word was meant to be.
//!
//! Built from the catalogue itself (product names, producers, places, categories), so a new product's
//! words are understood as soon as it is listed and nothing is kept by hand.

use std::collections::{HashMap, HashSet};

use crate::text::{fold, normalize_vi};

/// Where a word was seen: corrections only lead to words shoppers search by (names, places,
/// categories), while any word seen anywhere, descriptions included, counts as spelled right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Name,
    Place,
    Other,
}

#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    known: HashSet<String>,
    /// Words a correction may lead to, with how many texts hold them (the commoner wins a tie).
    targets: HashMap<String, u32>,
    /// Adjacent words in names and places: the context that picks "hạt điều" over "hạt dầu".
    pairs: HashSet<(String, String)>,
    /// Districts and communes, folded, each as its words.
    places: Vec<Vec<String>>,
    /// The spelling most often seen for a folded word, to show corrections with their diacritics.
    spelled: HashMap<String, HashMap<String, u32>>,
}

impl Vocabulary {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, text: &str, source: Source) {
        let folded: Vec<String> = fold(text).split_whitespace().map(str::to_string).collect();
        for word in &folded {
            if !self.known.contains(word) {
                self.known.insert(word.clone());
            }
        }
        // Descriptions are most of the text and only say which words exist: nothing more is kept.
        if source == Source::Other {
            return;
        }
        let exact: Vec<String> = normalize_vi(text).split_whitespace().map(str::to_string).collect();
        for word in &folded {
            *self.targets.entry(word.clone()).or_default() += 1;
        }
        for pair in folded.windows(2) {
            self.pairs.insert((pair[0].clone(), pair[1].clone()));
        }
        if exact.len() == folded.len() {
            for (f, e) in folded.iter().zip(&exact) {
                *self.spelled.entry(f.clone()).or_default().entry(e.clone()).or_default() += 1;
            }
        }
        if source == Source::Place && !folded.is_empty() && !self.places.contains(&folded) {
            self.places.push(folded);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    pub fn knows(&self, folded_word: &str) -> bool {
        self.known.contains(folded_word)
    }

    /// Seen in a name, a place or a category: a word shoppers search by, so never second-guessed.
    pub fn is_target(&self, folded_word: &str) -> bool {
        self.targets.contains_key(folded_word)
    }

    pub fn pair_known(&self, a: &str, b: &str) -> bool {
        self.pairs.contains(&(a.to_string(), b.to_string()))
    }

    pub fn places(&self) -> &[Vec<String>] {
        &self.places
    }

    /// The word as the catalogue most often writes it ("thiet" → "thiết").
    pub fn spelling(&self, folded_word: &str) -> String {
        self.spelled
            .get(folded_word)
            .and_then(|forms| forms.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))))
            .map_or_else(|| folded_word.to_string(), |(form, _)| form.clone())
    }

    /// Two words typed without the space between them ("nuocmam", "seagrapes"), when the catalogue
    /// has them side by side.
    pub fn split(&self, word: &str) -> Option<(String, String)> {
        let cuts = word.char_indices().map(|(i, _)| i).filter(|i| *i >= 2 && word.len() - i >= 2);
        cuts.map(|i| (&word[..i], &word[i..]))
            .find(|(a, b)| self.pair_known(a, b))
            .map(|(a, b)| (a.to_string(), b.to_string()))
    }

    /// The likeliest word meant by `word`, given the words typed before and after it, with whether
    /// it fits one of them (a pair the catalogue holds).
    pub fn correct(&self, word: &str, before: Option<&str>, after: Option<&str>) -> Option<(String, bool)> {
        let len = word.chars().count();
        if len < 3 || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        // One edit in a short word already reaches many others; longer words can take two.
        let allowed = if len >= 8 { 2 } else { 1 };
        self.targets
            .iter()
            .filter(|(t, _)| t.chars().count().abs_diff(len) <= allowed && t.chars().count() >= 2)
            .filter_map(|(t, freq)| {
                let distance = strsim::damerau_levenshtein(word, t);
                (distance <= allowed).then(|| {
                    let context = before.is_some_and(|b| self.pair_known(b, t)) as u32
                        + after.is_some_and(|a| self.pair_known(t, a)) as u32;
                    (t, distance, context, letters_left_out(word, t), *freq)
                })
            })
            .min_by(|a, b| {
                // Words that fit their neighbours first, then the nearest, then those the typed word
                // only left letters out of (fast thumbs drop letters: "diu" is "dieu" before "dau"),
                // then the commonest, then alphabetical so one query always gets one answer.
                b.2.cmp(&a.2).then(a.1.cmp(&b.1)).then(b.3.cmp(&a.3)).then(b.4.cmp(&a.4)).then(a.0.cmp(b.0))
            })
            .map(|(t, _, context, _, _)| (t.clone(), context > 0))
    }
}

/// `typed` is `word` with letters left out (in order, none changed).
fn letters_left_out(typed: &str, word: &str) -> bool {
    let mut letters = word.chars();
    typed.chars().all(|c| letters.any(|w| w == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::new();
        for name in ["Kẹo hạt điều thập cẩm", "Dầu hạt điều", "Hạt dầu", "Nước mắm Cá Đen"]
        {
            v.add(name, Source::Name);
        }
        for place in ["Phan Thiết", "Hàm Thuận Bắc", "Tuy Phong"] {
            v.add(place, Source::Place);
        }
        v.add("Chi tiết sản phẩm, diu dàng", Source::Other);
        v
    }

    #[test]
    fn neighbours_pick_the_word_meant() {
        let v = vocabulary();
        assert_eq!(v.correct("dieuu", Some("hat"), None), Some(("dieu".into(), true)));
        // "dau" and "dieu" are both one edit from "diu"; what stands after "keo hat" is "dieu".
        assert_eq!(v.correct("diu", Some("hat"), Some("thap")), Some(("dieu".into(), true)));
        assert_eq!(v.correct("dat", Some("hat"), None), Some(("dau".into(), true)));
        assert_eq!(v.correct("nuoz", None, None), Some(("nuoc".into(), false)));
    }

    #[test]
    fn dropped_letters_are_the_likelier_typo() {
        assert!(letters_left_out("diu", "dieu") && letters_left_out("tiet", "thiet"));
        assert!(!letters_left_out("diu", "dau") && !letters_left_out("dieu", "diu"));
    }

    #[test]
    fn words_run_together_come_apart_where_the_catalogue_has_them_apart() {
        let v = vocabulary();
        assert_eq!(v.split("nuocmam"), Some(("nuoc".into(), "mam".into())));
        assert_eq!(v.split("hatdieu"), Some(("hat".into(), "dieu".into())));
        assert_eq!(v.split("nuocdau"), None, "not a pair the catalogue holds");
    }

    #[test]
    fn short_and_numeric_words_are_left_alone() {
        let v = vocabulary();
        assert_eq!(v.correct("ca", None, None), None);
        assert_eq!(v.correct("st26", None, None), None);
        assert_eq!(v.correct("xyzzy", None, None), None);
    }

    #[test]
    fn words_seen_anywhere_are_known_but_lead_nowhere() {
        let v = vocabulary();
        assert!(v.knows("tiet") && v.knows("diu"));
        assert_eq!(v.correct("sanx", None, None), None, "description words are not correction targets");
    }

    #[test]
    fn spelling_brings_back_the_diacritics() {
        let v = vocabulary();
        assert_eq!(v.spelling("thiet"), "thiết");
        assert_eq!(v.spelling("zzz"), "zzz");
        assert_eq!(v.places().len(), 3);
    }
}
