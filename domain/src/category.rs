//! Merchandising categories are written in Vietnamese by producers and the office. Visitors reading
//! in English see a name for the common ones (the Vietnamese where none is known), and search
//! finds them by the English words shoppers type.

/// The English name of a category, or "" when there is none.
pub fn name_en(category: &str) -> &'static str {
    match crate::text::fold(category).as_str() {
        "nuoc mam" => "Fish sauce",
        "nuoc cham" => "Dipping sauce",
        "thanh long" => "Dragon fruit",
        "yen sao" => "Bird's nest",
        "ruou" => "Wine & spirits",
        "hai san kho" => "Dried seafood",
        "rong bien" => "Seaweed",
        "gao" => "Rice",
        "trai cay" => "Fruit",
        "hat dieu" => "Cashew nuts",
        "hat sen" => "Lotus seeds",
        "rau" => "Vegetables & herbs",
        "nam" => "Mushrooms",
        "trung ga" => "Eggs",
        "thit" => "Meat",
        "thit che bien" => "Cured meat",
        "gia vi" => "Spices & sauces",
        "banh keo do an vat" => "Snacks & sweets",
        "banh trang" => "Rice paper",
        "thu cong my nghe" => "Handicrafts",
        "thuc pham che bien" => "Prepared food",
        _ => "",
    }
}

/// English words shoppers use for our merchandising categories, so "fish sauce" finds nước mắm.
pub fn search_words_en(category: &str) -> &'static str {
    match crate::text::fold(category).as_str() {
        "nuoc mam" => "fish sauce",
        "nuoc cham" => "dipping sauce",
        "thanh long" => "dragon fruit pitaya",
        "yen sao" => "bird's nest swiftlet",
        "ruou" => "wine liquor spirits",
        "hai san kho" => "dried seafood",
        "rong bien" => "seaweed sea grapes",
        "gao" => "rice",
        "trai cay" => "fruit",
        "hat dieu" => "cashew nuts",
        "hat sen" => "lotus seeds",
        "rau" => "vegetables herbs",
        "nam" => "mushrooms",
        "trung ga" => "eggs",
        "thit" | "thit che bien" => "meat",
        "gia vi" => "spices seasoning sauce",
        "banh keo do an vat" => "snacks sweets",
        "banh trang" => "rice paper",
        "thu cong my nghe" => "handicrafts pottery ceramics",
        "thuc pham che bien" => "processed food",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_seed_category_has_an_english_name_and_search_words() {
        for line in crate::seed_catalogue::CATALOG_TSV.lines().skip(1) {
            let category = line.split('\t').nth(6).unwrap_or_default();
            if !category.is_empty() {
                assert!(!super::name_en(category).is_empty(), "no English name for {category}");
                assert!(!super::search_words_en(category).is_empty(), "no English search words for {category}");
            }
        }
        assert_eq!(super::name_en("Bánh kẹo/đồ ăn vặt"), "Snacks & sweets");
    }
}
