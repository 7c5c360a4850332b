//! A stored sale as a receipt: the shared 80 mm layout, printed as ESC/POS to the configured printer
//! (or a file per receipt when none is configured).

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use domain::receipt::{Receipt, ReceiptLine, ReceiptPayment, WIDTH_80MM};
use domain::sale::SaleKind;
use sea_orm::ConnectionTrait;

use crate::PosError;
use crate::db::setting;
use crate::till::Stored;

/// Vietnam keeps UTC+7 all year.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

pub fn local(t: &DateTime<Utc>, fmt: &str) -> String {
    t.with_timezone(&vietnam()).format(fmt).to_string()
}

pub async fn receipt(db: &impl ConnectionTrait, s: &Stored) -> Result<Receipt, PosError> {
    let staff = crate::staff::list(db).await?.into_iter().find(|x| x.id == s.staff_id).map(|x| x.name);
    let when = DateTime::parse_from_rfc3339(&s.sale.sold_at)
        .map(|t| local(&t.with_timezone(&Utc), "%d/%m/%Y %H:%M"))
        .unwrap_or_default();
    Ok(Receipt {
        shop: "Chợ OCOP Bình Thuận".into(),
        showroom: setting(db, "showroom_name").await?.unwrap_or_default(),
        address: setting(db, "showroom_address").await?.unwrap_or_default(),
        receipt_no: s.sale.receipt_no.clone(),
        when,
        staff: staff.unwrap_or_default(),
        lines: s
            .sale
            .lines
            .iter()
            .zip(&s.names)
            .map(|(l, name)| ReceiptLine { name: name.clone(), qty: l.qty, unit_price: l.unit_price })
            .collect(),
        discount: s.sale.discount,
        payments: s
            .sale
            .payments
            .iter()
            .filter(|p| p.amount > 0)
            .map(|p| ReceiptPayment { method: p.method.code().into(), amount: p.amount, confirmed: p.confirmed })
            .collect(),
        tendered: s.tendered,
        refund: s.sale.kind == SaleKind::Refund,
    })
}

pub fn lines(r: &Receipt) -> Vec<String> {
    r.layout(WIDTH_80MM)
}

/// ESC/POS bytes of a receipt; the drawer opens for a sale taken at least partly in cash.
pub fn escpos(r: &Receipt) -> Vec<u8> {
    let cash = r.payments.iter().any(|p| p.method == "cash" && p.amount > 0);
    crate::escpos::receipt(&lines(r), &crate::escpos::Options { cut: true, open_drawer: cash })
}

/// Sends the bytes to the printer device (appended, as a character device expects) or, without one,
/// to `prints/{number}.bin` under the data directory. Returns where they went.
pub fn print(bytes: &[u8], printer: Option<&Path>, data_dir: &Path, receipt_no: &str) -> std::io::Result<String> {
    let path = match printer {
        Some(p) => p.to_path_buf(),
        None => {
            std::fs::create_dir_all(data_dir.join("prints"))?;
            print_file(data_dir, receipt_no)
        }
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(printer.is_some())
        .write(true)
        .truncate(printer.is_none())
        .open(&path)?;
    f.write_all(bytes)?;
    f.flush()?;
    Ok(path.display().to_string())
}

/// The file a receipt is printed to when no printer is configured. Only the number's letters, digits
/// and dashes name it, so no receipt number can point outside `prints/`.
pub fn print_file(data_dir: &Path, receipt_no: &str) -> std::path::PathBuf {
    let name: String = receipt_no.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    data_dir.join("prints").join(format!("{name}.bin"))
}

/// The receipt exactly as the printer draws it, as a PNG (576 dots = 72 mm at 203 dpi): the page shows
/// and prints this, so marks the browser's fonts would misplace come out right.
pub fn png(r: &Receipt) -> Result<Vec<u8>, PosError> {
    let bytes = crate::escpos::receipt(&lines(r), &crate::escpos::Options::default());
    let (w, h, bits) = crate::escpos::decode_raster(&bytes).map_err(std::io::Error::other)?;
    let img = image::GrayImage::from_fn(w as u32, h as u32, |x, y| {
        image::Luma([if bits[y as usize * w + x as usize] { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).map_err(std::io::Error::other)?;
    Ok(out.into_inner())
}
