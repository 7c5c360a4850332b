//! Vietnamese text for search: folding away diacritics, and one spelling for tone-mark placement.
//!
//! Shoppers type with or without diacritics, and Vietnamese has two accepted places for the tone mark
//! in open "oa/oe/uy" syllables ("Hòa" and "Hoà"). Indexing and queries both go through these functions,
//! so every spelling of a word meets the same term. What is shown is never folded.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, strip every diacritic, map đ to d, and keep only letters and digits separated by single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for ch in s.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(ch.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Lowercase with diacritics kept (NFC), tone marks moved to the "new" placement (hoà, khoẻ, thuỷ),
/// and punctuation turned into spaces: the form that exact-diacritic matches are ranked on.
pub fn normalize_vi(s: &str) -> String {
    let lower: String = s.nfc().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(lower.len());
    for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&new_style_tone(word));
    }
    out
}

/// Split a precomposed vowel into its base vowel (with any hat/horn/breve) and its tone mark.
fn split_tone(c: char) -> (char, Option<char>) {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];
    let decomposed: Vec<char> = c.to_string().nfd().collect();
    let tone = decomposed.iter().copied().find(|m| TONES.contains(m));
    let base: String = decomposed.into_iter().filter(|m| !TONES.contains(m)).collect::<String>().nfc().collect();
    (base.chars().next().unwrap_or(c), tone)
}

fn with_tone(base: char, tone: char) -> char {
    let s: String = [base, tone].iter().collect::<String>().nfc().collect();
    s.chars().next().unwrap_or(base)
}

/// "hòa" → "hoà", "khỏe" → "khoẻ", "thủy" → "thuỷ": in an open syllable ending in oa, oe or uy
/// the new rule puts the mark on the last vowel. Syllables with a final consonant ("hoàng") agree already.
fn new_style_tone(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 {
        return word.to_string();
    }
    let (first, tone) = split_tone(chars[n - 2]);
    let (last, last_tone) = split_tone(chars[n - 1]);
    let pair = (first, last);
    let open_glide = matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y'));
    // "qu" + y: the u is part of the consonant, so "quý" is already the only spelling.
    let after_q = n >= 3 && chars[n - 3] == 'q';
    match (open_glide && !after_q, tone, last_tone) {
        (true, Some(t), None) => {
            let mut out: String = chars[..n - 2].iter().collect();
            out.push(first);
            out.push(with_tone(last, t));
            out
        }
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_d_bar() {
        assert_eq!(fold("Nước mắm Phan Thiết"), "nuoc mam phan thiet");
        assert_eq!(fold("Đức Linh"), "duc linh");
        assert_eq!(fold("đường"), "duong");
        assert_eq!(fold("  Rượu vang -- Thanh long 14% Vol "), "ruou vang thanh long 14 vol");
        assert_eq!(fold("Yến sào"), "yen sao");
    }

    #[test]
    fn both_tone_placements_fold_alike() {
        assert_eq!(fold("Hòa Lệ"), fold("Hoà Lệ"));
        assert_eq!(fold("Thuý Hiền"), fold("Thúy Hiền"));
    }

    #[test]
    fn normalizes_old_tone_placement_to_new() {
        assert_eq!(normalize_vi("Hòa Lệ"), "hoà lệ");
        assert_eq!(normalize_vi("Hoà Lệ"), "hoà lệ");
        assert_eq!(normalize_vi("khỏe"), "khoẻ");
        assert_eq!(normalize_vi("Thúy"), "thuý");
        assert_eq!(normalize_vi("Quý"), "quý");
        assert_eq!(normalize_vi("Hoàng Gia"), "hoàng gia");
        assert_eq!(normalize_vi("Mắm lú"), "mắm lú");
    }

    #[test]
    fn decomposed_input_matches_precomposed() {
        let decomposed: String = "Nước mắm".nfd().collect();
        assert_eq!(normalize_vi(&decomposed), normalize_vi("Nước mắm"));
        assert_eq!(fold(&decomposed), "nuoc mam");
    }
}
