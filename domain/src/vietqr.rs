//! VietQR: the bank-transfer QR code every Vietnamese banking app scans (NAPAS 247).
//!
//! A VietQR payload is an EMVCo Merchant-Presented QR string: a flat run of ID–length–value
//! objects (two-digit ID, two-digit length counted in characters, then the value), some of whose
//! values are themselves such runs ("templates"). NAPAS puts the beneficiary in template 38:
//! GUID `A000000727`, then 01 = { 00 acquirer/bank BIN, 01 account number }, then 02 = service
//! code (`QRIBFTTA`: 24/7 inter-bank transfer to an account). The string ends with 63, a
//! CRC-16/CCITT-FALSE over everything before its value, including the "6304" itself.
//!
//! [`payload`] builds the dynamic transfer QR we show for an order; [`parse`] walks any EMVCo
//! string, checks its CRC and lets callers read nested values with [`Decoded::get`].
//!
//! We emit only the fields NAPAS's own IBFT examples carry (00, 01, 38, 53, 54, 58, 62.08, 63).
//! Those examples have no 59 (merchant name) or 60 (city), so neither does our builder; the
//! decoder still reads them when a bank's QR carries them.

use std::fmt::Write as _;

/// NAPAS's globally unique identifier inside template 38.
pub const NAPAS_GUID: &str = "A000000727";
/// Service code for "inter-bank fund transfer 24/7 to an account".
pub const SERVICE_TRANSFER_TO_ACCOUNT: &str = "QRIBFTTA";
/// ISO 4217 numeric code of the đồng.
pub const CURRENCY_VND: &str = "704";
/// The largest amount field 54 can hold: EMVCo caps it at 13 characters.
pub const MAX_AMOUNT: i64 = 9_999_999_999_999;
/// Longest purpose (62.08) we emit. EMVCo and the NAPAS QR format spec give every
/// Additional Data sub-field, purpose of transaction included, "ans, var. up to 25".
pub const MAX_PURPOSE_CHARS: usize = 25;
/// Longest account number NAPAS allows in 38.01.01 ("ans, var. up to 19").
pub const MAX_ACCOUNT_CHARS: usize = 19;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VietQrError {
    #[error("mã BIN ngân hàng phải gồm đúng 6 chữ số / bank BIN must be exactly 6 digits (got {0:?})")]
    BankBin(String),
    #[error(
        "số tài khoản phải gồm 1–19 chữ cái hoặc chữ số / account number must be 1-19 ASCII letters or digits (got {0:?})"
    )]
    Account(String),
    #[error("số tiền phải lớn hơn 0 và tối đa 13 chữ số / amount must be above 0 and at most 13 digits (got {0})")]
    Amount(i64),
    #[error(
        "nội dung chuyển khoản phải có 1–25 ký tự: chữ không dấu, số, dấu cách, gạch ngang / purpose must be 1-25 characters of ASCII letters, digits, spaces and hyphens (got {0:?})"
    )]
    Purpose(String),
    #[error("trường {id} dài {len} ký tự, phải từ 1 đến 99 / field {id} is {len} characters long, it must be 1 to 99")]
    FieldLength { id: String, len: usize },
    #[error("chuỗi VietQR hỏng tại ký tự {at}: {what} / malformed VietQR at character {at}: {what}")]
    Malformed { at: usize, what: &'static str },
    #[error("trường {0} xuất hiện hai lần / field {0} appears twice")]
    DuplicateField(String),
    #[error("chuỗi VietQR phải bắt đầu bằng 000201 / a VietQR payload starts with 000201 (payload format 01)")]
    PayloadFormat,
    #[error("thiếu mã kiểm tra CRC ở cuối (6304XXXX) / the payload must end with the CRC field 6304XXXX")]
    MissingCrc,
    #[error("sai mã kiểm tra CRC / CRC mismatch: the payload says {found}, its content gives {computed}")]
    Crc { found: String, computed: String },
}

/// A bank transfer to show as a QR code: who receives, how much, and the text the payer's bank
/// puts on the transfer (we use the order number, so the receipt can be matched to the order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The receiving bank's 6-digit BIN as registered with the State Bank (e.g. 970436 Vietcombank).
    pub bank_bin: String,
    /// The receiving account number.
    pub account: String,
    /// Whole đồng; `None` lets the payer type the amount.
    pub amount: Option<i64>,
    /// Purpose of transaction (62.08), e.g. "OCOP-2026-000123".
    pub purpose: Option<String>,
}

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), as EMVCo
/// prescribes for field 63.
pub fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in bytes {
        crc ^= (byte as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// Builds the dynamic (point of initiation "12": one QR per order) VietQR string for a transfer.
///
/// Fields, in the order NAPAS's examples use: 00 "01", 01 "12", 38 {00 GUID, 01 {00 BIN,
/// 01 account}, 02 QRIBFTTA}, 53 "704", 54 amount (if any), 58 "VN", 62 {08 purpose} (if any),
/// 63 CRC. The point of initiation stays "12" even without an amount: the code is still made for
/// one order.
pub fn payload(transfer: &Transfer) -> Result<String, VietQrError> {
    let bin = &transfer.bank_bin;
    if bin.len() != 6 || !bin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VietQrError::BankBin(bin.clone()));
    }
    let account = &transfer.account;
    if account.is_empty() || account.len() > MAX_ACCOUNT_CHARS || !account.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(VietQrError::Account(account.clone()));
    }
    if let Some(amount) = transfer.amount
        && !(1..=MAX_AMOUNT).contains(&amount)
    {
        return Err(VietQrError::Amount(amount));
    }
    // The purpose becomes the transfer's remark ("nội dung chuyển khoản") in both banks'
    // statements, and it is how we match an incoming transfer to its order. The spec allows 25
    // "ans" characters (see MAX_PURPOSE_CHARS). The open-source VietQR encoders we checked fold
    // Vietnamese to unaccented ASCII before encoding, and banks' apps are not known to keep
    // punctuation intact, so we accept only a conservative subset: ASCII letters, digits, spaces
    // and hyphens (our order numbers look like "OCOP-2026-000123").
    if let Some(purpose) = &transfer.purpose {
        let ok_char = |c: char| c.is_ascii_alphanumeric() || c == ' ' || c == '-';
        if purpose.is_empty() || purpose.chars().count() > MAX_PURPOSE_CHARS || !purpose.chars().all(ok_char) {
            return Err(VietQrError::Purpose(purpose.clone()));
        }
    }

    let mut beneficiary = String::new();
    tlv(&mut beneficiary, "00", bin)?;
    tlv(&mut beneficiary, "01", account)?;
    let mut merchant = String::new();
    tlv(&mut merchant, "00", NAPAS_GUID)?;
    tlv(&mut merchant, "01", &beneficiary)?;
    tlv(&mut merchant, "02", SERVICE_TRANSFER_TO_ACCOUNT)?;

    let mut out = String::new();
    tlv(&mut out, "00", "01")?;
    tlv(&mut out, "01", "12")?;
    tlv(&mut out, "38", &merchant)?;
    tlv(&mut out, "53", CURRENCY_VND)?;
    if let Some(amount) = transfer.amount {
        tlv(&mut out, "54", &amount.to_string())?;
    }
    tlv(&mut out, "58", "VN")?;
    if let Some(purpose) = &transfer.purpose {
        let mut additional = String::new();
        tlv(&mut additional, "08", purpose)?;
        tlv(&mut out, "62", &additional)?;
    }
    out.push_str("6304");
    let crc = crc16_ccitt_false(out.as_bytes());
    let _ = write!(out, "{crc:04X}");
    Ok(out)
}

fn tlv(out: &mut String, id: &str, value: &str) -> Result<(), VietQrError> {
    let len = value.chars().count();
    if !(1..=99).contains(&len) {
        return Err(VietQrError::FieldLength { id: id.to_owned(), len });
    }
    let _ = write!(out, "{id}{len:02}{value}");
    Ok(())
}

/// One top-level data object of a decoded payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: String,
    pub value: String,
}

/// A payload whose structure and CRC have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The top-level objects in payload order, CRC (63) last.
    pub fields: Vec<Field>,
}

impl Decoded {
    /// The value at a path of IDs, descending into templates: `get(&["38", "01", "00"])` is the
    /// bank BIN, `get(&["62", "08"])` the purpose. `None` if any step is missing or a value on
    /// the way is not a template.
    pub fn get(&self, path: &[&str]) -> Option<&str> {
        let (first, rest) = path.split_first()?;
        let mut value = self.fields.iter().find(|f| f.id == *first)?.value.as_str();
        for id in rest {
            value = split_tlv(value, 0).ok()?.into_iter().find(|o| o.id == *id)?.value;
        }
        Some(value)
    }
}

/// Decodes an EMVCo/VietQR string: every object well formed, no ID twice in one template,
/// 000201 first, a valid CRC last, and the templates (26-51, 62, 64, 80-99, and NAPAS's
/// beneficiary 38.01) well formed too. Lengths count characters, as EMVCo specifies; the CRC
/// covers the UTF-8 bytes. The CRC's hex digits may be in either case.
pub fn parse(payload: &str) -> Result<Decoded, VietQrError> {
    let objects = split_tlv(payload, 0)?;
    let Some(last) = objects.last() else {
        return Err(VietQrError::MissingCrc);
    };
    if last.id != "63" || last.value.len() != 4 || !last.value.is_ascii() {
        return Err(VietQrError::MissingCrc);
    }
    let covered = &payload[..payload.len() - 4];
    let computed = format!("{:04X}", crc16_ccitt_false(covered.as_bytes()));
    if !last.value.eq_ignore_ascii_case(&computed) {
        return Err(VietQrError::Crc { found: last.value.to_owned(), computed });
    }
    if objects[0].id != "00" || objects[0].value != "01" {
        return Err(VietQrError::PayloadFormat);
    }
    for object in &objects {
        let n: u8 = object.id.parse().unwrap_or(0);
        if (26..=51).contains(&n) || n == 62 || n == 64 || n >= 80 {
            let children = split_tlv(object.value, object.value_at)?;
            if children.iter().any(|c| c.id == "00" && c.value == NAPAS_GUID)
                && let Some(beneficiary) = children.iter().find(|c| c.id == "01")
            {
                split_tlv(beneficiary.value, beneficiary.value_at)?;
            }
        }
    }
    let fields = objects.iter().map(|o| Field { id: o.id.to_owned(), value: o.value.to_owned() }).collect();
    Ok(Decoded { fields })
}

struct Object<'a> {
    id: &'a str,
    value: &'a str,
    /// Character offset of the value in the whole payload, for error messages.
    value_at: usize,
}

/// Splits one level of ID–length–value objects. `base` is the character offset of `s` in the
/// payload.
fn split_tlv(s: &str, base: usize) -> Result<Vec<Object<'_>>, VietQrError> {
    let mut objects: Vec<Object<'_>> = Vec::new();
    let mut rest = s;
    let mut at = base;
    while !rest.is_empty() {
        let head = rest
            .get(..4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(VietQrError::Malformed { at, what: "expected a two-digit ID and a two-digit length" })?;
        let (id, len) = (&head[..2], head[2..].parse::<usize>().unwrap_or(0));
        if len == 0 {
            return Err(VietQrError::Malformed { at: at + 2, what: "a length of 00 (values have 1 to 99 characters)" });
        }
        let after = &rest[4..];
        let end = after.char_indices().nth(len).map_or(after.len(), |(i, _)| i);
        if after[..end].chars().count() < len {
            return Err(VietQrError::Malformed { at: at + 4, what: "the value is shorter than its length says" });
        }
        if objects.iter().any(|o| o.id == id) {
            return Err(VietQrError::DuplicateField(id.to_owned()));
        }
        objects.push(Object { id, value: &after[..end], value_at: at + 4 });
        rest = &after[end..];
        at += 4 + len;
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer(bin: &str, account: &str, amount: Option<i64>, purpose: Option<&str>) -> Transfer {
        Transfer { bank_bin: bin.to_owned(), account: account.to_owned(), amount, purpose: purpose.map(str::to_owned) }
    }

    /// Asserts every field of a NAPAS transfer-to-account payload.
    fn assert_transfer_fields(
        d: &Decoded,
        initiation: &str,
        bin: &str,
        account: &str,
        amount: Option<&str>,
        purpose: Option<&str>,
        crc: &str,
    ) {
        assert_eq!(d.get(&["00"]), Some("01"), "payload format");
        assert_eq!(d.get(&["01"]), Some(initiation), "point of initiation");
        assert_eq!(d.get(&["38", "00"]), Some(NAPAS_GUID), "GUID");
        assert_eq!(d.get(&["38", "01", "00"]), Some(bin), "bank BIN");
        assert_eq!(d.get(&["38", "01", "01"]), Some(account), "account");
        assert_eq!(d.get(&["38", "02"]), Some(SERVICE_TRANSFER_TO_ACCOUNT), "service code");
        assert_eq!(d.get(&["53"]), Some("704"), "currency");
        assert_eq!(d.get(&["54"]), amount, "amount");
        assert_eq!(d.get(&["58"]), Some("VN"), "country");
        assert_eq!(d.get(&["62", "08"]), purpose, "purpose");
        assert_eq!(d.get(&["63"]), Some(crc), "CRC");
        assert_eq!(d.fields.last().map(|f| f.id.as_str()), Some("63"));
    }

    #[test]
    fn vietqr_crc_check_value() {
        // The catalogued check value of CRC-16/CCITT-FALSE.
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
    }

    /// The NAPAS example of a dynamic QR for a transfer to an account, from "Technical
    /// Specifications on NAPAS QR Switching, Part IV: QR Code Format" v1.5.2 (Jan 2021), as quoted
    /// in github.com/subiz/vietqr crc32_test.go (that repository also keeps the spec under /spec).
    /// It carries 62.01 bill number "NPS6869", a field we do not emit, so it is decoded only.
    #[test]
    fn vietqr_napas_spec_example_decodes() {
        let example = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA\
                       530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E";
        let d = parse(example).unwrap();
        assert_transfer_fields(
            &d,
            "12",
            "970403",
            "0011012345678",
            Some("180000"),
            Some("thanh toan don hang"),
            "2E2E",
        );
        assert_eq!(d.get(&["62", "01"]), Some("NPS6869"), "bill number");
        let ids: Vec<&str> = d.fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["00", "01", "38", "53", "54", "58", "62", "63"]);
    }

    /// github.com/xuannghia/vietnam-qr-pay, test/test-quick-gen-qr.spec.ts ("VietQR Dynamic"),
    /// also in its README: ACB (970416), account 257678859, 10 000 đ, "Chuyen tien".
    #[test]
    fn vietqr_vietnam_qr_pay_example_round_trips() {
        let example = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA\
                       53037045405100005802VN62150811Chuyen tien630453E6";
        let d = parse(example).unwrap();
        assert_transfer_fields(&d, "12", "970416", "257678859", Some("10000"), Some("Chuyen tien"), "53E6");
        let ours = payload(&transfer("970416", "257678859", Some(10_000), Some("Chuyen tien"))).unwrap();
        assert_eq!(ours, example);
    }

    /// github.com/subiz/vietqr: vietqr_test.go `TestQR` (MB 970422, 40 123 đ, "test text string")
    /// and the checked `ExampleString` output in the same file, also shown in its README
    /// (VietinBank 970415, 120 000 đ, "ung ho lu lut").
    #[test]
    fn vietqr_subiz_examples_round_trip() {
        let mb = "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA\
                  53037045405401235802VN62200816test text string6304D9C6";
        let d = parse(mb).unwrap();
        assert_transfer_fields(&d, "12", "970422", "0023457923442", Some("40123"), Some("test text string"), "D9C6");
        let ours = payload(&transfer("970422", "0023457923442", Some(40_123), Some("test text string"))).unwrap();
        assert_eq!(ours, mb);

        let vietin = "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA\
                      530370454061200005802VN62170813ung ho lu lut6304C15C";
        let d = parse(vietin).unwrap();
        assert_transfer_fields(&d, "12", "970415", "0011001932418", Some("120000"), Some("ung ho lu lut"), "C15C");
        let ours = payload(&transfer("970415", "0011001932418", Some(120_000), Some("ung ho lu lut"))).unwrap();
        assert_eq!(ours, vietin);
    }

    /// Static QRs ("11", no amount, no purpose) decode; our builder always says "12", so these
    /// are decode-only. ACB: github.com/xuannghia/vietnam-qr-pay test/test-quick-gen-qr.spec.ts
    /// ("VietQR Static"); TPBank: github.com/subiz/vietqr vietqr_test.go and README.
    #[test]
    fn vietqr_static_examples_decode() {
        let acb = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F";
        assert_transfer_fields(&parse(acb).unwrap(), "11", "970416", "257678859", None, None, "AE9F");
        let tpbank = "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4";
        assert_transfer_fields(&parse(tpbank).unwrap(), "11", "970423", "0099999999", None, None, "CBB4");
    }

    /// github.com/xuannghia/vietnam-qr-pay test/test-vietqr.spec.ts: a valid payload (amount
    /// 1 000) and the same string with its CRC altered, which that library must reject too.
    #[test]
    fn vietqr_published_bad_crc_is_refused() {
        let good = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA\
                    5303704540410005802VN62150811Chuyen tien6304BBB8";
        assert_transfer_fields(
            &parse(good).unwrap(),
            "12",
            "970416",
            "257678859",
            Some("1000"),
            Some("Chuyen tien"),
            "BBB8",
        );
        let bad = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA\
                   5303704540410005802VN62150811Chuyen tien6304BBB5";
        assert_eq!(parse(bad), Err(VietQrError::Crc { found: "BBB5".into(), computed: "BBB8".into() }));
    }

    /// The static-to-account example printed in the NAPAS v1.5.2 spec and copied into many
    /// libraries' fixtures: its CRC F4E5 is right for the printed bytes, but 38.01.01 says 12
    /// characters and 13 follow ("0011012345678"), so the nested object is malformed.
    #[test]
    fn vietqr_inconsistent_spec_static_example_is_refused() {
        let printed = "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5";
        assert_eq!(crc16_ccitt_false(&printed.as_bytes()[..printed.len() - 4]), 0xF4E5);
        assert!(matches!(parse(printed), Err(VietQrError::Malformed { .. })));
    }

    #[test]
    fn vietqr_tampered_payload_fails_crc() {
        let ours = payload(&transfer("970436", "1023456789", Some(1_943_000), Some("OCOP-2026-000123"))).unwrap();
        assert!(parse(&ours).is_ok());
        let tampered = ours.replace("1943000", "1948000");
        assert!(matches!(parse(&tampered), Err(VietQrError::Crc { .. })));
        let tampered = ours.replace("1023456789", "1023456788");
        assert!(matches!(parse(&tampered), Err(VietQrError::Crc { .. })));
        // Lower-case CRC digits are the same CRC.
        let lower = format!("{}{}", &ours[..ours.len() - 4], ours[ours.len() - 4..].to_ascii_lowercase());
        assert!(parse(&lower).is_ok());
    }

    #[test]
    fn vietqr_own_payload_round_trips() {
        let t = transfer("970436", "1023456789", Some(1_943_000), Some("OCOP-2026-000123"));
        let s = payload(&t).unwrap();
        assert!(s.starts_with("000201010212"));
        let d = parse(&s).unwrap();
        let crc = &s[s.len() - 4..];
        assert_transfer_fields(&d, "12", "970436", "1023456789", Some("1943000"), Some("OCOP-2026-000123"), crc);
        let ids: Vec<&str> = d.fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["00", "01", "38", "53", "54", "58", "62", "63"]);

        // Without amount and purpose: fields 54 and 62 are left out.
        let s = payload(&transfer("970436", "1023456789", None, None)).unwrap();
        let d = parse(&s).unwrap();
        assert_eq!(d.get(&["54"]), None);
        assert_eq!(d.get(&["62"]), None);
        assert_eq!(d.get(&["38", "01", "01"]), Some("1023456789"));

        // The longest values still fit: 19-character account, 13-digit amount, 25-character purpose.
        let t = transfer("970436", "ABCDEFGHIJ123456789", Some(MAX_AMOUNT), Some("OCOP-2026-000123 ABCDEFGH"));
        let d = parse(&payload(&t).unwrap()).unwrap();
        assert_eq!(d.get(&["54"]), Some("9999999999999"));
        assert_eq!(d.get(&["62", "08"]), Some("OCOP-2026-000123 ABCDEFGH"));
        assert_eq!(d.get(&["38", "01", "01"]), Some("ABCDEFGHIJ123456789"));
    }

    #[test]
    fn vietqr_validation_errors() {
        let ok = transfer("970436", "1023456789", Some(50_000), Some("OCOP-2026-000123"));
        assert!(payload(&ok).is_ok());
        for bin in ["97043", "9704361", "97043A", "", "９７０４３６"] {
            let t = Transfer { bank_bin: bin.into(), ..ok.clone() };
            assert_eq!(payload(&t), Err(VietQrError::BankBin(bin.into())), "{bin:?}");
        }
        for account in ["", "12345678901234567890", "1023-456789", "10234 56789", "1023456789đ"] {
            let t = Transfer { account: account.into(), ..ok.clone() };
            assert_eq!(payload(&t), Err(VietQrError::Account(account.into())), "{account:?}");
        }
        for amount in [0, -1, MAX_AMOUNT + 1] {
            let t = Transfer { amount: Some(amount), ..ok.clone() };
            assert_eq!(payload(&t), Err(VietQrError::Amount(amount)));
        }
        for purpose in ["", "OCOP-2026-000123 ABCDEFGHI", "Thanh toán", "OCOP#123", "OCOP_123", "a\tb"] {
            let t = Transfer { purpose: Some(purpose.into()), ..ok.clone() };
            assert_eq!(payload(&t), Err(VietQrError::Purpose(purpose.into())), "{purpose:?}");
        }
        // Messages are readable in both languages.
        let msg = VietQrError::Purpose("x".repeat(26)).to_string();
        assert!(msg.contains("1-25 characters"), "{msg}");
    }

    #[test]
    fn vietqr_malformed_payloads_are_refused() {
        assert_eq!(parse(""), Err(VietQrError::MissingCrc));
        assert!(matches!(parse("0002"), Err(VietQrError::Malformed { at: 4, .. })));
        assert!(matches!(parse("0"), Err(VietQrError::Malformed { at: 0, .. })));
        assert!(matches!(parse("000201010212XX"), Err(VietQrError::Malformed { at: 12, .. })));
        assert!(matches!(parse("00020101"), Err(VietQrError::Malformed { at: 6, .. })));
        assert!(matches!(parse("000201010512"), Err(VietQrError::Malformed { at: 10, .. })));
        assert!(matches!(parse("0000"), Err(VietQrError::Malformed { at: 2, .. })));
        // No CRC at the end.
        assert_eq!(parse("0002010102125802VN"), Err(VietQrError::MissingCrc));
        // A well-formed string with a right CRC but not starting with 000201.
        let mut s = String::from("0102120002016304");
        let crc = crc16_ccitt_false(s.as_bytes());
        s.push_str(&format!("{crc:04X}"));
        assert_eq!(parse(&s), Err(VietQrError::PayloadFormat));
        // The same ID twice.
        let mut s = String::from("0002010002016304");
        let crc = crc16_ccitt_false(s.as_bytes());
        s.push_str(&format!("{crc:04X}"));
        assert_eq!(parse(&s), Err(VietQrError::DuplicateField("00".into())));
    }

    #[test]
    fn vietqr_get_walks_only_what_exists() {
        let d = parse(&payload(&transfer("970416", "257678859", Some(10_000), Some("Chuyen tien"))).unwrap()).unwrap();
        assert_eq!(d.get(&[]), None);
        assert_eq!(d.get(&["59"]), None);
        assert_eq!(d.get(&["38", "03"]), None);
        assert_eq!(d.get(&["38", "01", "02"]), None);
        // 58 "VN" is not a template.
        assert_eq!(d.get(&["58", "00"]), None);
        assert_eq!(d.get(&["38", "01"]), Some("00069704160109257678859"));
    }
}
