//! The till's copy of the catalogue: found by barcode or SKU as a scanner types it, or by name with
//! or without diacritics; refreshed from the marketplace's catalogue changes, or seeded in demo mode.

use domain::pos_catalog::{CatalogCombo, CatalogItem};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::PosError;
use crate::db::stmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub sku: String,
    pub barcode: Option<String>,
    pub name_vi: String,
    pub name_en: String,
    pub size_vi: String,
    pub price: i64,
    pub on_sale: bool,
    pub stock: i64,
    /// A combo's components: (SKU, units per combo).
    pub parts: Vec<(String, i64)>,
    /// The photo's file under `photos/`, once fetched from the marketplace.
    pub photo_file: Option<String>,
}

impl Item {
    pub fn label(&self) -> String {
        if self.size_vi.is_empty() { self.name_vi.clone() } else { format!("{} – {}", self.name_vi, self.size_vi) }
    }

    fn from_row(r: &QueryResult) -> Result<Item, PosError> {
        let parts: Option<String> = r.try_get("", "parts")?;
        Ok(Item {
            sku: r.try_get("", "sku")?,
            barcode: r.try_get("", "barcode")?,
            name_vi: r.try_get("", "name_vi")?,
            name_en: r.try_get("", "name_en")?,
            size_vi: r.try_get("", "size_vi")?,
            price: r.try_get("", "price")?,
            on_sale: r.try_get("", "on_sale")?,
            stock: r.try_get("", "stock")?,
            parts: parse_parts(parts.as_deref().unwrap_or("")),
            photo_file: r.try_get("", "photo_file")?,
        })
    }
}

fn parse_parts(s: &str) -> Vec<(String, i64)> {
    s.split_whitespace()
        .filter_map(|p| p.rsplit_once('*').and_then(|(sku, n)| Some((sku.to_string(), n.parse().ok()?))))
        .collect()
}

const COLUMNS: &str = "sku, barcode, name_vi, name_en, size_vi, price, on_sale, stock, parts, photo_file";

/// What a scanner or a person typed: a barcode, a SKU or a combo code, exactly.
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Item>, PosError> {
    let code = code.trim();
    let row = db
        .query_one_raw(stmt(
            &format!("SELECT {COLUMNS} FROM items WHERE barcode = ? OR sku = ? COLLATE NOCASE ORDER BY barcode = ? DESC LIMIT 1"),
            vec![code.into(), code.into(), code.into()],
        ))
        .await?;
    row.as_ref().map(Item::from_row).transpose()
}

/// Items whose name or size holds every word typed, diacritics or not.
pub async fn search(db: &impl ConnectionTrait, query: &str, limit: u64) -> Result<Vec<Item>, PosError> {
    let words: Vec<String> = domain::text::fold(query).split_whitespace().map(|w| format!("%{w}%")).collect();
    let mut sql = format!("SELECT {COLUMNS} FROM items WHERE 1 = 1");
    for _ in &words {
        sql.push_str(" AND folded LIKE ?");
    }
    sql.push_str(&format!(" ORDER BY on_sale DESC, name_vi LIMIT {limit}"));
    let rows = db.query_all_raw(stmt(&sql, words.into_iter().map(Into::into).collect())).await?;
    rows.iter().map(Item::from_row).collect()
}

pub async fn upsert_item(db: &impl ConnectionTrait, i: &CatalogItem) -> Result<(), PosError> {
    let folded = domain::text::fold(&format!("{} {} {} {}", i.name_vi, i.name_en, i.size_vi, i.sku));
    db.execute_raw(stmt(
        "INSERT INTO items (sku, barcode, name_vi, name_en, size_vi, price, on_sale, stock, parts, folded, photo) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ON CONFLICT (sku) DO UPDATE SET barcode = excluded.barcode, \
         name_vi = excluded.name_vi, name_en = excluded.name_en, size_vi = excluded.size_vi, price = excluded.price, \
         on_sale = excluded.on_sale, stock = excluded.stock, folded = excluded.folded, \
         photo_file = CASE WHEN items.photo IS excluded.photo THEN items.photo_file END, photo = excluded.photo",
        vec![
            i.sku.clone().into(),
            i.barcode.clone().into(),
            i.name_vi.clone().into(),
            i.name_en.clone().into(),
            i.size_vi.clone().into(),
            i.price_vnd.into(),
            i.on_sale.into(),
            i.stock.into(),
            folded.into(),
            i.photo.clone().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// A combo is sold under its slug; its own stock is never counted (its components' is).
pub async fn upsert_combo(db: &impl ConnectionTrait, c: &CatalogCombo) -> Result<(), PosError> {
    let parts = c.parts.iter().map(|(sku, n)| format!("{sku}*{n}")).collect::<Vec<_>>().join(" ");
    let folded = domain::text::fold(&format!("{} {} {} hop qua combo gift", c.name_vi, c.name_en, c.slug));
    db.execute_raw(stmt(
        "INSERT INTO items (sku, barcode, name_vi, name_en, size_vi, price, on_sale, stock, parts, folded) \
         VALUES (?, NULL, ?, ?, 'Hộp quà', ?, ?, 0, ?, ?) ON CONFLICT (sku) DO UPDATE SET name_vi = excluded.name_vi, \
         name_en = excluded.name_en, price = excluded.price, on_sale = excluded.on_sale, parts = excluded.parts, \
         folded = excluded.folded",
        vec![
            c.slug.clone().into(),
            c.name_vi.clone().into(),
            c.name_en.clone().into(),
            c.price_vnd.into(),
            c.on_sale.into(),
            parts.into(),
            folded.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The selling screen's grid: the till's best sellers, then the gift combos, then the rest of what is
/// on sale and on the shelf, by name.
pub async fn grid(db: &impl ConnectionTrait, best: &[String], limit: usize) -> Result<Vec<Item>, PosError> {
    let mut out: Vec<Item> = Vec::with_capacity(limit);
    for sku in best {
        if let Some(i) = by_code(db, sku).await?.filter(|i| i.on_sale) {
            out.push(i);
        }
    }
    let rest = db
        .query_all_raw(stmt(
            &format!(
                "SELECT {COLUMNS} FROM items WHERE on_sale AND (parts IS NOT NULL OR stock > 0) \
                 ORDER BY parts IS NULL, name_vi LIMIT ?"
            ),
            vec![(limit as i64 * 2).into()],
        ))
        .await?;
    for r in &rest {
        let i = Item::from_row(r)?;
        if out.len() >= limit {
            break;
        }
        if !out.iter().any(|o| o.sku == i.sku) {
            out.push(i);
        }
    }
    out.truncate(limit);
    Ok(out)
}

/// Items whose photo is known at the marketplace but not yet kept on the till.
pub async fn photos_to_fetch(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<(String, String)>, PosError> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT sku, photo FROM items WHERE photo IS NOT NULL AND photo_file IS NULL LIMIT ?",
            vec![(limit as i64).into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "sku")?, r.try_get("", "photo")?))).collect()
}

pub async fn set_photo_file(db: &impl ConnectionTrait, sku: &str, photo: &str, file: &str) -> Result<(), PosError> {
    db.execute_raw(stmt(
        "UPDATE items SET photo_file = ? WHERE sku = ? AND photo = ?",
        vec![file.into(), sku.into(), photo.into()],
    ))
    .await?;
    Ok(())
}

/// Units that leave the showroom's shelf when `qty` of `item` are sold: the item itself, or a
/// combo's components.
pub fn stock_moves(item: &Item, qty: i64) -> Vec<(String, i64)> {
    if item.parts.is_empty() {
        vec![(item.sku.clone(), qty)]
    } else {
        item.parts.iter().map(|(sku, n)| (sku.clone(), n * qty)).collect()
    }
}

/// Demo mode: the real Bình Thuận catalogue with its sample prices and stock, and its gift combos.
pub async fn seed_demo(db: &impl ConnectionTrait) -> Result<usize, PosError> {
    use domain::seed_catalogue as seed;
    let rows = seed::source_rows().map_err(std::io::Error::other)?;
    let samples = seed::sample_rows().map_err(std::io::Error::other)?;
    let mut sku_of = std::collections::HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(s) = samples.get(&r.name_vi) else { continue };
        sku_of.insert(r.name_vi.clone(), seed::sku(i));
        upsert_item(
            db,
            &CatalogItem {
                sku: seed::sku(i),
                barcode: Some(seed::barcode(i)),
                name_vi: r.name_vi.clone(),
                name_en: s.name_en.clone(),
                size_vi: s.size_vi.clone(),
                price_vnd: s.price,
                on_sale: true,
                stock: s.stock,
                photo: None,
                batches: Vec::new(),
            },
        )
        .await?;
    }
    for (slug, name_vi, name_en, _, _, price, names) in seed::COMBOS {
        let parts = names.iter().filter_map(|n| Some((sku_of.get(*n)?.clone(), 1))).collect();
        upsert_combo(
            db,
            &CatalogCombo {
                slug: slug.to_string(),
                name_vi: name_vi.to_string(),
                name_en: name_en.to_string(),
                price_vnd: *price,
                on_sale: true,
                parts,
            },
        )
        .await?;
    }
    Ok(sku_of.len())
}

/// A demo till: the sample catalogue, a demo showroom and a sample account for trying VietQR (the
/// status bar says "demo" on every screen, and nothing is ever sent).
pub async fn seed_demo_till(db: &impl ConnectionTrait) -> Result<(), PosError> {
    use crate::db::set_setting;
    seed_demo(db).await?;
    set_setting(db, "showroom_code", "DEMO").await?;
    set_setting(db, "showroom_name", "Điểm bán thử / Demo showroom").await?;
    set_setting(db, "prefix", "DEMO").await?;
    let bank = domain::pos_catalog::BankAccount {
        bank_bin: "970436".into(),
        bank_name: "Tài khoản mẫu (chế độ thử) / Sample account (demo)".into(),
        account: "0123456789".into(),
        account_name: "DIEM BAN THU OCOP".into(),
    };
    set_setting(db, "bank", &serde_json::to_string(&bank)?).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn combo_parts_read_back_as_written() {
        assert_eq!(super::parse_parts("BT0001-01*2 BT0007-01*1"), [("BT0001-01".into(), 2), ("BT0007-01".into(), 1)]);
        assert!(super::parse_parts("").is_empty());
    }
}
