//! Merchandising categories are written in Vietnamese by producers and the office; visitors reading
//! in English see these names for the common ones (and the Vietnamese where none is known).

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

#[cfg(test)]
mod tests {
    #[test]
    fn every_seed_category_has_an_english_name() {
        for line in crate::seed_catalogue::CATALOG_TSV.lines().skip(1) {
            let category = line.split('\t').nth(6).unwrap_or_default();
            if !category.is_empty() {
                assert!(!super::name_en(category).is_empty(), "no English name for {category}");
            }
        }
        assert_eq!(super::name_en("Bánh kẹo/đồ ăn vặt"), "Snacks & sweets");
    }
}
