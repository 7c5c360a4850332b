//! Who receives an order and where: Vietnamese phone numbers and the two-level address in force
//! since 1 July 2025 (34 provinces and centrally-run cities, then commune or ward, then street).

use serde::{Deserialize, Serialize};

/// The 34 provincial units after Resolution 202/2025/QH15: code, Vietnamese name, English name.
/// Six centrally-run cities first, then the provinces from north to south.
pub const PROVINCES: [(&str, &str, &str); 34] = [
    ("ha-noi", "Thành phố Hà Nội", "Hanoi"),
    ("hue", "Thành phố Huế", "Huế City"),
    ("hai-phong", "Thành phố Hải Phòng", "Hai Phong City"),
    ("da-nang", "Thành phố Đà Nẵng", "Da Nang City"),
    ("ho-chi-minh", "Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("can-tho", "Thành phố Cần Thơ", "Can Tho City"),
    ("lai-chau", "Tỉnh Lai Châu", "Lai Chau"),
    ("dien-bien", "Tỉnh Điện Biên", "Dien Bien"),
    ("son-la", "Tỉnh Sơn La", "Son La"),
    ("lang-son", "Tỉnh Lạng Sơn", "Lang Son"),
    ("cao-bang", "Tỉnh Cao Bằng", "Cao Bang"),
    ("tuyen-quang", "Tỉnh Tuyên Quang", "Tuyen Quang"),
    ("lao-cai", "Tỉnh Lào Cai", "Lao Cai"),
    ("thai-nguyen", "Tỉnh Thái Nguyên", "Thai Nguyen"),
    ("phu-tho", "Tỉnh Phú Thọ", "Phu Tho"),
    ("bac-ninh", "Tỉnh Bắc Ninh", "Bac Ninh"),
    ("quang-ninh", "Tỉnh Quảng Ninh", "Quang Ninh"),
    ("hung-yen", "Tỉnh Hưng Yên", "Hung Yen"),
    ("ninh-binh", "Tỉnh Ninh Bình", "Ninh Binh"),
    ("thanh-hoa", "Tỉnh Thanh Hóa", "Thanh Hoa"),
    ("nghe-an", "Tỉnh Nghệ An", "Nghe An"),
    ("ha-tinh", "Tỉnh Hà Tĩnh", "Ha Tinh"),
    ("quang-tri", "Tỉnh Quảng Trị", "Quang Tri"),
    ("quang-ngai", "Tỉnh Quảng Ngãi", "Quang Ngai"),
    ("gia-lai", "Tỉnh Gia Lai", "Gia Lai"),
    ("khanh-hoa", "Tỉnh Khánh Hòa", "Khanh Hoa"),
    ("dak-lak", "Tỉnh Đắk Lắk", "Dak Lak"),
    ("lam-dong", "Tỉnh Lâm Đồng", "Lam Dong"),
    ("dong-nai", "Tỉnh Đồng Nai", "Dong Nai"),
    ("tay-ninh", "Tỉnh Tây Ninh", "Tay Ninh"),
    ("dong-thap", "Tỉnh Đồng Tháp", "Dong Thap"),
    ("vinh-long", "Tỉnh Vĩnh Long", "Vinh Long"),
    ("an-giang", "Tỉnh An Giang", "An Giang"),
    ("ca-mau", "Tỉnh Cà Mau", "Ca Mau"),
];

pub fn province(code: &str) -> Option<(&'static str, &'static str, &'static str)> {
    PROVINCES.iter().copied().find(|(c, _, _)| *c == code)
}

/// A Vietnamese phone number in its domestic form (`0912345678`), the form people read and that
/// order lookups compare. Accepts `+84`/`84` prefixes and spaces, dots or dashes between digits.
/// Mobiles are 10 digits (03, 05, 07, 08, 09); landlines 11 (02 + area code).
pub fn normalize_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let mut digits = String::with_capacity(12);
    for (i, ch) in trimmed.chars().enumerate() {
        match ch {
            '0'..='9' => digits.push(ch),
            '+' if i == 0 => {}
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return None,
        }
    }
    let national = if trimmed.starts_with('+') {
        format!("0{}", digits.strip_prefix("84")?)
    } else if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() >= 9 && !digits.starts_with('0')) {
        format!("0{rest}")
    } else {
        digits
    };
    let b = national.as_bytes();
    let ok = matches!(
        (b.len(), b.first(), b.get(1)),
        (10, Some(b'0'), Some(b'3' | b'5' | b'7' | b'8' | b'9')) | (11, Some(b'0'), Some(b'2'))
    );
    ok.then_some(national)
}

/// A phone number to reach someone who may be a visitor: a Vietnamese number in its domestic form
/// (validated as `normalize_phone` does), any other country's in E.164 (`+4915123456789`). A foreign
/// number must be written with its country code (`+49…` or `0049…`): without one it is read as
/// Vietnamese.
pub fn normalize_contact_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let international = trimmed.strip_prefix('+').or_else(|| trimmed.strip_prefix("00"));
    let Some(rest) = international else { return normalize_phone(trimmed) };
    let mut digits = String::with_capacity(15);
    for ch in rest.chars() {
        match ch {
            '0'..='9' => digits.push(ch),
            ' ' | '.' | '-' | '(' | ')' | '/' => {}
            _ => return None,
        }
    }
    if digits.starts_with("84") {
        return normalize_phone(&format!("+{digits}"));
    }
    // E.164: a country code that does not start with 0, at most 15 digits in all; no country's
    // numbers are shorter than 8 digits with their code.
    (!digits.starts_with('0') && (8..=15).contains(&digits.len())).then(|| format!("+{digits}"))
}

/// What the checkout form sends, as typed: kept whole so a refused form comes back filled in.
/// A missing field reads as empty, so it becomes a message beside the field rather than a refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckoutForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub province: String,
    pub commune: String,
    pub street: String,
    pub note: String,
    pub payment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message_vi: String,
    pub message_en: String,
}

/// A checkout that passed validation, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub province: String,
    pub commune: String,
    pub street: String,
    pub note: Option<String>,
    pub payment: crate::order::PaymentMethod,
}

fn err(field: &str, vi: &str, en: &str) -> FieldError {
    FieldError { field: field.into(), message_vi: vi.into(), message_en: en.into() }
}

/// A plausible single address: what a form can check without sending mail.
pub fn plain_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
        && !domain.contains('@')
}

impl CheckoutForm {
    /// Every problem at once, each tied to its field, so the shopper fixes them in one pass.
    /// `allowed` is the payment methods on offer (card only when Stripe is configured).
    pub fn validate(&self, allowed: &[crate::order::PaymentMethod]) -> Result<Delivery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.chars().count() < 2 {
            errors.push(err("name", "Vui lòng nhập họ tên người nhận.", "Please enter the recipient's name."));
        } else if name.chars().count() > 100 {
            errors.push(err("name", "Họ tên dài quá 100 ký tự.", "The name is longer than 100 characters."));
        }
        let phone = normalize_contact_phone(&self.phone);
        if phone.is_none() {
            errors.push(err(
                "phone",
                "Số điện thoại không hợp lệ: 10 số bắt đầu bằng 0 (vd. 0912 345 678), hoặc số nước ngoài kèm mã quốc gia (vd. +49 151 2345 6789).",
                "Invalid phone number: 10 digits starting with 0 (e.g. 0912 345 678), or a foreign number with its country code (e.g. +49 151 2345 6789).",
            ));
        }
        let email = self.email.trim();
        if !email.is_empty() && (email.len() > 254 || !plain_email(email)) {
            errors.push(err("email", "Email không hợp lệ.", "Invalid email address."));
        }
        if province(&self.province).is_none() {
            errors.push(err("province", "Vui lòng chọn tỉnh/thành phố.", "Please choose a province or city."));
        }
        let commune = self.commune.trim();
        if commune.chars().count() < 2 || commune.chars().count() > 100 {
            errors.push(err("commune", "Vui lòng nhập xã/phường.", "Please enter the commune or ward."));
        }
        let street = self.street.trim();
        if street.chars().count() < 3 || street.chars().count() > 200 {
            errors.push(err(
                "street",
                "Vui lòng nhập số nhà, tên đường hoặc thôn/ấp.",
                "Please enter the house number and street, or the hamlet.",
            ));
        }
        let note = self.note.trim();
        if note.chars().count() > 500 {
            errors.push(err("note", "Ghi chú dài quá 500 ký tự.", "The note is longer than 500 characters."));
        }
        let payment = crate::order::PaymentMethod::parse(&self.payment).filter(|m| allowed.contains(m));
        if payment.is_none() {
            errors.push(err("payment", "Vui lòng chọn cách thanh toán.", "Please choose how to pay."));
        }
        match (phone, payment) {
            (Some(phone), Some(payment)) if errors.is_empty() => Ok(Delivery {
                name: name.into(),
                phone,
                email: (!email.is_empty()).then(|| email.to_string()),
                province: self.province.clone(),
                commune: commune.into(),
                street: street.into(),
                note: (!note.is_empty()).then(|| note.to_string()),
                payment,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::PaymentMethod;

    #[test]
    fn there_are_34_provinces_with_unique_codes_and_no_pre_2025_ones() {
        let mut codes: Vec<_> = PROVINCES.iter().map(|p| p.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 34);
        assert!(province("lam-dong").is_some());
        assert!(province("binh-thuan").is_none(), "merged into Lâm Đồng in 2025");
    }

    #[test]
    fn phones_in_every_common_form_normalise_to_domestic() {
        assert_eq!(normalize_phone("0912345678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_phone("0912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_phone("+84 912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_phone("+84912.345.678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_phone("84912345678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_phone("0252 3822 222").as_deref(), Some("02523822222"), "Phan Thiết landline");
        assert_eq!(normalize_phone("091234567"), None, "9 digits");
        assert_eq!(normalize_phone("0112345678"), None, "no such prefix");
        assert_eq!(normalize_phone("+1 912 345 678"), None);
        assert_eq!(normalize_phone("0912a45678"), None);
        assert_eq!(normalize_phone(""), None);
    }

    #[test]
    fn visitors_numbers_are_kept_in_e164() {
        assert_eq!(normalize_contact_phone("+49 151 2345 6789").as_deref(), Some("+4915123456789"));
        assert_eq!(normalize_contact_phone("0049 (151) 2345-6789").as_deref(), Some("+4915123456789"));
        assert_eq!(normalize_contact_phone("+1 (415) 555-0100").as_deref(), Some("+14155550100"));
        assert_eq!(normalize_contact_phone("+61 4 1234 5678").as_deref(), Some("+61412345678"));
        // Vietnamese numbers keep their domestic form and their checks, however they are written.
        assert_eq!(normalize_contact_phone("+84 912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_contact_phone("0084 912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_contact_phone("0912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_contact_phone("+84 112 345 678"), None);
        assert_eq!(normalize_contact_phone("+49 151"), None, "too short");
        assert_eq!(normalize_contact_phone("+49 1512 3456 7890 123"), None, "past 15 digits");
        assert_eq!(normalize_contact_phone("+0 123 456 789"), None);
        assert_eq!(normalize_contact_phone("+49 151 abc"), None);
        assert_eq!(normalize_contact_phone("+"), None);
    }

    fn good() -> CheckoutForm {
        CheckoutForm {
            name: "Nguyễn Thị Hoà".into(),
            phone: "+84 912 345 678".into(),
            email: "".into(),
            province: "lam-dong".into(),
            commune: "Phường Phan Thiết".into(),
            street: "12 Trần Hưng Đạo".into(),
            note: "".into(),
            payment: "cod".into(),
        }
    }

    #[test]
    fn a_good_form_normalises_and_keeps_diacritics() {
        let d = good().validate(&[PaymentMethod::Cod, PaymentMethod::VietQr]).unwrap();
        assert_eq!(d.phone, "0912345678");
        assert_eq!(d.name, "Nguyễn Thị Hoà");
        assert_eq!(d.email, None);
        assert_eq!(d.payment, PaymentMethod::Cod);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = CheckoutForm {
            name: " ".into(),
            phone: "12345".into(),
            email: "not-an-email".into(),
            province: "binh-thuan".into(),
            commune: "".into(),
            street: "".into(),
            note: "".into(),
            payment: "stripe".into(),
        };
        let errors = form.validate(&[PaymentMethod::Cod]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone", "email", "province", "commune", "street", "payment"]);
        assert!(errors.iter().all(|e| !e.message_vi.is_empty() && !e.message_en.is_empty()));
    }
}
